import type { Code, Nodes, RootContent } from 'mdast';
import { parseRule } from '../detect/parse-rule.ts';
import type { AlertBlock, Block, Finding } from './model.ts';
import { shellLines, type ShellLines } from './parse-console.ts';
import { plainText } from './parse-headings.ts';
import { parseFenceInfo, type FenceInfo } from './parse-info.ts';
import { inlineCodes } from './parse-nodes.ts';

/** Fences a shell runs. `console` and the session langs show a transcript: only prompted lines count. */
export const shellLangs = ['sh', 'bash', 'shell', 'zsh', 'ksh', 'console', 'terminal', 'shell-session', 'shellsession', 'sh-session', 'bash-session'];
const transcriptLangs = new Set(['console', 'terminal', 'shell-session', 'shellsession', 'sh-session', 'bash-session']);

export type LocalFinding = Omit<Finding, 'file'>;

export interface BlockContent {
  blocks: Block[];
  alerts: AlertBlock[];
  findings: LocalFinding[];
}

/**
 * The blocks under one heading (a phase's H4, or the Rollback H2). Shell fences are steps; an
 * `alert` fence is the rule; a `check` fence is a condition to wait for; a part with none of
 * these is manual, one step per paragraph or list item, because that prose is then the
 * instruction rather than commentary around commands. `label` names unnamed steps.
 */
export function parseBlocks(label: string, phaseNodes: readonly RootContent[]): BlockContent {
  const out: BlockContent = { blocks: [], alerts: [], findings: [] };
  const nodes = flattenSteps(phaseNodes);
  let previousProse = '';
  for (const node of nodes) {
    if (node.type === 'code') {
      const info = parseFenceInfo(node.lang, node.meta);
      if (info.lang === 'alert') out.alerts.push(alertBlock(node, info.attributes, out.findings));
      else if (shellLangs.includes(info.lang) || info.lang === 'check') {
        for (const p of info.problems) out.findings.push(at(node, 'fence-attributes', 'error', p.message, p.hint));
        const name = info.attributes.name ?? `${label}-${out.blocks.length + 1}`;
        const block = info.lang === 'check' ? checkBlock(node, info, name, previousProse, out.findings) : commandBlock(node, info, name, previousProse, out.findings);
        if (block) out.blocks.push(block);
      } else if (!info.lang) {
        out.findings.push(at(node, 'fence-no-lang', 'warning', 'code block without a language is not run', 'mark it ```sh to run it as a step, or ```text if it is sample output'));
      }
      previousProse = '';
    } else if (node.type === 'paragraph') {
      previousProse = plainText(node).trim();
    }
  }
  if (out.blocks.length > 0 || out.alerts.length > 0 || nodes.some((n) => n.type === 'code')) return out;
  for (const node of nodes) {
    const items = node.type === 'list' ? node.children : node.type === 'paragraph' ? [node] : [];
    for (const item of items) {
      const text = plainText(item).trim();
      if (!text) continue;
      const line = item.position?.start.line ?? 1;
      out.blocks.push({ name: `${label}-${out.blocks.length + 1}`, line, lang: '', command: undefined, manual: true, attributes: {}, text, inline: inlineCodes(item), sourceMap: [] });
    }
  }
  return out;
}

/**
 * "1. Check the group:" with the fenced block inside the list item is the commonest layout; a
 * list (or quote) that holds code is read as its paragraphs and blocks in order, so the block is
 * a step and the item's sentence its text. Lists without code stay manual steps.
 */
export function flattenSteps(nodes: readonly RootContent[]): RootContent[] {
  const out: RootContent[] = [];
  for (const node of nodes) {
    if ((node.type === 'list' || node.type === 'blockquote') && holdsCode(node)) {
      const children = node.type === 'list' ? node.children.flatMap((item) => item.children) : node.children;
      out.push(...flattenSteps(children));
    } else out.push(node);
  }
  return out;
}

function holdsCode(node: Nodes): boolean {
  return node.type === 'code' || ('children' in node && node.children.some((c) => holdsCode(c)));
}

function commandBlock(node: Code, info: FenceInfo, name: string, prose: string, findings: LocalFinding[]): Block | undefined {
  const { command, sourceMap } = commandOf(node, info.lang);
  if (!command.trim()) {
    const promptsOnly = transcriptLangs.has(info.lang);
    const hint = promptsOnly ? 'prefix each command with "$ "' : 'write the command in the block, or remove it';
    findings.push(at(node, promptsOnly ? 'console-no-commands' : 'empty-step', 'warning', `${info.lang} block has no command to run`, hint));
    return undefined;
  }
  return { name, line: node.position?.start.line ?? 1, lang: info.lang, command, manual: false, attributes: info.attributes, text: prose, inline: [], sourceMap };
}

/**
 * What a person types from a shell block: prompts stripped and output dropped in every shell
 * language (people paste `$ ` and what they saw into ```sh too), with where each line sits in
 * the file, since the command's own offsets are no longer the file's.
 */
export function commandOf(node: Code, lang: string): { command: string; sourceMap: Block['sourceMap']; lines: ShellLines } {
  const line = node.position?.start.line ?? 1;
  const indent = (node.position?.start.column ?? 1) - 1;
  const lines = shellLines(node.value, { promptsOnly: transcriptLangs.has(lang) });
  const command = lines.commands.map((c) => c.text).join('\n').replace(/\s+$/, '');
  const sourceMap = lines.commands.flatMap((c) => c.origins.map((o) => ({ line: line + 1 + o.line, column: indent + o.column + 1 })));
  return { command, sourceMap, lines };
}

/**
 * A ```check block holds one condition in the alert grammar, without a `for` window: the drill
 * runs it as `agentdrill ctl wait`, which judges the latest sample until the timeout.
 */
function checkBlock(node: Code, info: FenceInfo, name: string, prose: string, findings: LocalFinding[]): Block | undefined {
  const line = node.position?.start.line ?? 1;
  const { text, at } = joinedRule(node);
  const parsed = parseRule(text);
  if (!parsed.ok || parsed.rule.forMs !== undefined) {
    const error = parsed.ok ? { message: 'a check has no "for" window', column: text.search(/\sfor\s/i) + 2, hint: 'drop "for ..."; the check waits until the condition holds or the timeout passes' } : parsed.error;
    findings.push({ ...at(error.column), rule: 'check-syntax', severity: 'error', message: `check: ${error.message}`, hint: error.hint });
    return undefined;
  }
  const seconds = Math.ceil((info.attributes.timeout ?? 60_000) / 1000);
  // A quoted label value may hold a single quote; the shell must still get the rule as one word.
  const command = `agentdrill ctl wait '${text.replace(/'/g, "'\\''")}' --timeout ${seconds}s`;
  return { name, line, lang: 'check', command, manual: false, attributes: info.attributes, text: prose, inline: [], sourceMap: [], check: parsed.rule };
}

/**
 * The built-in rule in the block, and (attribute `prometheus`) the name of the team's Prometheus
 * alert that pages for this failure mode: ```alert {"prometheus":"AgentConsumerLagHigh"}.
 */
function alertBlock(node: Code, attributes: Record<string, unknown>, findings: LocalFinding[]): AlertBlock {
  const { text, at } = joinedRule(node);
  const parsed = parseRule(text);
  if (!parsed.ok) {
    findings.push({ ...at(parsed.error.column), rule: 'alert-syntax', severity: 'error', message: `alert rule: ${parsed.error.message}`, hint: parsed.error.hint });
  }
  const prometheus = typeof attributes.prometheus === 'string' && attributes.prometheus ? { prometheus: attributes.prometheus } : {};
  return { text, line: at(1).line, rule: parsed.ok ? parsed.rule : undefined, ...prometheus };
}

/**
 * A long rule may wrap over lines; it is still one rule, its lines trimmed and joined by a
 * space. `at` maps a column of that text back to the file, so an error in the second line, or
 * after blank lines or indentation, points where it is written.
 */
function joinedRule(node: Code): { text: string; at(column: number): { line: number; column: number } } {
  const firstLine = (node.position?.start.line ?? 1) + 1;
  const indent = (node.position?.start.column ?? 1) - 1;
  const parts: { text: string; line: number; column: number; offset: number }[] = [];
  let offset = 0;
  node.value.split('\n').forEach((raw, i) => {
    const text = raw.trim();
    if (!text) return;
    parts.push({ text, line: firstLine + i, column: indent + raw.length - raw.trimStart().length + 1, offset });
    offset += text.length + 1;
  });
  const at = (column: number) => {
    const part = parts.filter((p) => p.offset <= column - 1).at(-1) ?? { line: firstLine, column: indent + 1, offset: 0 };
    return { line: part.line, column: part.column + column - 1 - part.offset };
  };
  return { text: parts.map((p) => p.text).join(' '), at };
}

export function at(node: RootContent, rule: string, severity: Finding['severity'], message: string, hint: string): LocalFinding {
  return { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1, rule, severity, message, hint };
}
