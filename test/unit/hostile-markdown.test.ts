import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Nodes } from 'mdast';
import { describe, expect, it } from 'vitest';
import { AgentdrillError } from '../../src/core/errors.ts';
import { checkMarkdownLimits, markdownLimits } from '../../src/runbook/limits.ts';
import { parseRunbook } from '../../src/runbook/parse.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'runbooks');
const realRunbooks = [path.join(root, 'runbooks', 'order-pipeline.md'), ...readdirSync(fixtures).filter((f) => f.endsWith('.md')).map((f) => path.join(fixtures, f))];
const L = markdownLimits;

/** The RUNBOOK_INVALID a text over a limit gets, with its one located problem. */
function refusal(text: string): { line: number; column: number } {
  try {
    parseRunbook(text, 'hostile.md');
  } catch (e) {
    expect(e).toBeInstanceOf(AgentdrillError);
    expect((e as AgentdrillError).code).toBe('RUNBOOK_INVALID');
    const [p] = (e as AgentdrillError).problems;
    expect(p).toMatchObject({ file: 'hostile.md' });
    return { line: p!.line!, column: p!.column! };
  }
  throw new Error('the runbook was accepted');
}

/** Nesting as the parser sees it: block quotes and list items open at once. */
function depthOf(node: Nodes, depth = 0): number {
  const here = node.type === 'blockquote' || node.type === 'listItem' ? depth + 1 : depth;
  return 'children' in node ? Math.max(here, ...node.children.map((c) => depthOf(c, here))) : here;
}

/** The deepest any accepted text can nest, whatever the scan made of it (see markdownLimits.anyLine). */
const hardDepthBound = L.anyLine.prefixMarkers + L.anyLine.prefixColumns / 2;

describe('Markdown limits: real runbooks pass', () => {
  it.each(realRunbooks)('%s is within every limit', (file) => {
    expect(checkMarkdownLimits(readFileSync(file, 'utf8'))).toBeUndefined();
  });
});

describe('Markdown limits: beyond them, RUNBOOK_INVALID at the line, before parsing', () => {
  const over = L.depth + 1;
  it('block quotes nested on one line, 10 000 deep (was a stack overflow, exit 4)', { timeout: 5000 }, () => {
    expect(refusal(`# T\n\n${'>'.repeat(10_000)} x\n`).line).toBe(3);
  });

  it('list markers on one line, and nesting by indentation', { timeout: 5000 }, () => {
    expect(refusal(`text\n\n${'- '.repeat(1000)}x`).line).toBe(3);
    const indented = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- item`);
    expect(refusal(indented.join('\n')).line).toBe(over);
    const mixed = Array.from({ length: 40 }, (_, i) => `${'> '.repeat(i)}- item`);
    expect(refusal(['intro', '', ...mixed].join('\n')).line).toBeLessThanOrEqual(2 + over);
  });

  it('brackets in one paragraph, and in all', { timeout: 5000 }, () => {
    expect(refusal(`# T\n${'['.repeat(50_000)}`)).toEqual({ line: 2, column: L.inline.paragraphBrackets + 1 });
    // Paragraphs each at their own budget: the one past the runbook's total is refused.
    const full = L.inline.brackets / L.inline.paragraphBrackets;
    const paragraphs = Array.from({ length: full + 1 }, () => '[]'.repeat(L.inline.paragraphBrackets / 2));
    expect(refusal(paragraphs.join('\n\n')).line).toBe(2 * full + 1);
  });

  it('emphasis runs, table cells, lines, characters and container counts', { timeout: 5000 }, () => {
    expect(refusal('**a'.repeat(L.inline.paragraphEmphasis + 1)).line).toBe(1);
    const row = `${'| x '.repeat(50)}|\n`;
    const rowsToFit = Math.floor((L.inline.pipes - 4) / 51);
    expect(refusal(`| a |\n| - |\n${row.repeat(rowsToFit + 1)}`).line).toBe(2 + rowsToFit + 1);
    expect(refusal('x\n'.repeat(L.lines)).line).toBe(L.lines + 1);
    expect(refusal('x'.repeat(L.chars + 1)).line).toBe(1);
    expect(refusal('- x\n'.repeat(L.containers + 1)).line).toBe(L.containers + 1);
  });

  it('hides nothing in a code block that is not one (backstop on every line)', { timeout: 5000 }, () => {
    // An HTML block holding a fence: the scan sees code, the parser sees an HTML comment then text.
    const hidden = ['<!--', '```', '-->', '', '['.repeat(L.anyLine.inline.paragraphBrackets + 1)].join('\n');
    expect(refusal(hidden).line).toBe(5);
  });
});

describe('Markdown limits: at them, the parse is quick', () => {
  const at = L.depth;
  it('nesting exactly at the limit parses', { timeout: 10_000 }, () => {
    const quotes = `${'> '.repeat(at)}x\n`.repeat(Math.floor(L.containers / at));
    expect(() => parseRunbook(quotes, 'at-limit.md')).not.toThrow();
    const lists = Array.from({ length: at }, (_, i) => `${'  '.repeat(i)}- item`).join('\n');
    expect(() => parseRunbook(lists, 'at-limit.md')).not.toThrow();
  });

  it('brackets and emphasis up to their budgets parse', { timeout: 10_000 }, () => {
    const brackets = Array.from({ length: L.inline.brackets / L.inline.paragraphBrackets }, () => '[]'.repeat(L.inline.paragraphBrackets / 2));
    expect(() => parseRunbook(brackets.join('\n\n'), 'at-limit.md')).not.toThrow();
    const emphasis = Array.from({ length: 10 }, () => '**a'.repeat(L.inline.paragraphEmphasis));
    expect(() => parseRunbook(emphasis.join('\n\n'), 'at-limit.md')).not.toThrow();
  });
});

describe('Markdown limits: properties', () => {
  type Kind = '> ' | '- ' | '1. ';
  const continuation: Record<Kind, string> = { '> ': '> ', '- ': '  ', '1. ': '   ' };
  /** A chain of containers, written as a person would: first line with markers, second indented. */
  const chain = fc.array(fc.constantFrom<Kind>('> ', '- ', '1. '), { minLength: 1, maxLength: L.depth + 4 });

  it('well-formed nesting: accepted exactly when the parser nests it at most the limit deep', { timeout: 20_000 }, () => {
    fc.assert(
      fc.property(fc.array(chain, { minLength: 1, maxLength: 6 }), (chains) => {
        const lines = chains.flatMap((c) => [c.join('') + 'first', c.map((k) => continuation[k]).join('') + 'second', '']);
        const text = lines.join('\n');
        const deepest = Math.max(...chains.map((c) => c.length));
        const breach = checkMarkdownLimits(text);
        expect(depthOf(fromMarkdown(text))).toBe(deepest);
        if (deepest <= L.depth) expect(breach).toBeUndefined();
        else expect(breach?.line).toBe(3 * chains.findIndex((c) => c.length > L.depth) + 1);
      }),
      { numRuns: 150 },
    );
  });

  it('hostile line soup: ends quickly, only RUNBOOK_INVALID, and what it accepts nests boundedly', { timeout: 30_000 }, () => {
    const marker = fc.constantFrom('> ', '>', '- ', '* ', '1. ', '2) ', '-  ', '   ', '[', '**a', '|');
    const tail = fc.constantFrom('x', '', '```', '# h', '- - -', '<!--', '-->', '<div>', '~~~', '    x', '[a](b)');
    const line = fc.tuple(fc.array(marker, { maxLength: 24 }), tail).map(([m, t]) => m.join('') + t);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        const text = lines.join('\n');
        try {
          parseRunbook(text, 'soup.md');
        } catch (e) {
          if (!(e instanceof AgentdrillError) || e.code !== 'RUNBOOK_INVALID') throw e;
          expect(e.problems[0]!.line).toBeGreaterThanOrEqual(1);
          expect(e.problems[0]!.line).toBeLessThanOrEqual(lines.length);
          return;
        }
        expect(depthOf(fromMarkdown(text))).toBeLessThanOrEqual(hardDepthBound);
      }),
      { numRuns: 300 },
    );
  });
});
