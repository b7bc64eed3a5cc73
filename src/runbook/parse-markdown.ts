import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import { AgentdrillError } from '../core/errors.ts';
import { checkMarkdownLimits, markdownLimits, type LimitBreach } from './limits.ts';

/** Markdown → mdast (with GFM tables), refused with RUNBOOK_INVALID past the limits. */
export function parseMarkdown(body: string, file: string): Root {
  const breach = checkMarkdownLimits(body);
  if (breach) throw refusal(file, breach);
  try {
    return fromMarkdown(body, { extensions: [gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] });
  } catch (e) {
    // The limits keep the parser's recursion shallow; this is the backstop if a shape slips past.
    if (e instanceof RangeError) throw refusal(file, { line: 1, column: 1, message: 'the runbook nests too deeply to parse', hint: 'nest block quotes, lists and links less deeply' });
    throw e;
  }
}

function refusal(file: string, { line, column, message, hint }: LimitBreach): AgentdrillError {
  // The CLI prints the first line, then the problem with its column and fix.
  return new AgentdrillError('RUNBOOK_INVALID', `runbook ${file} is over a Markdown limit at line ${line}`, { hint, context: { file, line }, problems: [{ file, line, column, message, hint }] });
}

export function checkRunbookSize(text: string, file: string): void {
  if (text.length > markdownLimits.chars) throw refusal(file, checkMarkdownLimits(text)!);
}
