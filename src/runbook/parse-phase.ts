import type { Code, RootContent } from 'mdast';
import { parseRule } from '../detect/parse-rule.ts';
import type { AlertBlock, Finding, PhaseName, Step } from './model.ts';
import { consoleCommands } from './parse-console.ts';
import { plainText } from './parse-headings.ts';
import { parseFenceInfo } from './parse-info.ts';

export const shellLangs = ['sh', 'bash', 'shell', 'zsh', 'console'];

export type LocalFinding = Omit<Finding, 'file'>;

export interface PhaseContent {
  steps: Step[];
  alerts: AlertBlock[];
  findings: LocalFinding[];
}

/**
 * The steps of one phase (the nodes under its H4). Shell fences are steps; an `alert` fence is
 * the rule; a phase with neither is manual, one step per paragraph or list item, because that
 * prose is then the instruction rather than commentary around commands.
 */
export function parsePhase(phase: PhaseName, nodes: readonly RootContent[]): PhaseContent {
  const out: PhaseContent = { steps: [], alerts: [], findings: [] };
  let previousProse = '';
  for (const node of nodes) {
    if (node.type === 'code') {
      const info = parseFenceInfo(node.lang, node.meta);
      if (info.lang === 'alert') out.alerts.push(alertBlock(node, out.findings));
      else if (shellLangs.includes(info.lang)) {
        for (const p of info.problems) out.findings.push(at(node, 'fence-attributes', 'error', p.message, p.hint));
        const step = commandStep(phase, node, info, out.steps.length + 1, previousProse, out.findings);
        if (step) out.steps.push(step);
      } else if (!info.lang) {
        out.findings.push(at(node, 'fence-no-lang', 'warning', 'code block without a language is not run', 'mark it ```sh to run it as a step, or ```text if it is sample output'));
      }
      previousProse = '';
    } else if (node.type === 'paragraph') {
      previousProse = plainText(node).trim();
    }
  }
  if (out.steps.length > 0 || out.alerts.length > 0 || nodes.some((n) => n.type === 'code')) return out;
  for (const node of nodes) {
    const items = node.type === 'list' ? node.children : node.type === 'paragraph' ? [node] : [];
    for (const item of items) {
      const text = plainText(item).trim();
      if (!text) continue;
      out.steps.push({
        name: `${phase}-${out.steps.length + 1}`,
        phase,
        line: item.position?.start.line ?? 1,
        lang: '',
        command: undefined,
        manual: true,
        attributes: {},
        text,
      });
    }
  }
  return out;
}

function commandStep(
  phase: PhaseName,
  node: Code,
  info: ReturnType<typeof parseFenceInfo>,
  index: number,
  prose: string,
  findings: LocalFinding[],
): Step | undefined {
  const command = info.lang === 'console' ? consoleCommands(node.value).join('\n') : node.value.replace(/\s+$/, '');
  if (!command.trim()) {
    const hint = info.lang === 'console' ? 'prefix each command with "$ "' : 'write the command in the block, or remove it';
    findings.push(at(node, info.lang === 'console' ? 'console-no-commands' : 'empty-step', 'warning', `${info.lang} block has no command to run`, hint));
    return undefined;
  }
  return {
    name: info.attributes.name ?? `${phase}-${index}`,
    phase,
    line: node.position?.start.line ?? 1,
    lang: info.lang,
    command,
    manual: false,
    attributes: info.attributes,
    text: prose,
  };
}

function alertBlock(node: Code, findings: LocalFinding[]): AlertBlock {
  const line = node.position?.start.line ?? 1;
  // A long rule may wrap over lines; it is still one rule.
  const text = node.value
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  const parsed = parseRule(text);
  if (!parsed.ok) {
    const indent = (node.position?.start.column ?? 1) - 1;
    findings.push({
      line: line + 1,
      column: indent + parsed.error.column,
      rule: 'alert-syntax',
      severity: 'error',
      message: `alert rule: ${parsed.error.message}`,
      hint: parsed.error.hint,
    });
  }
  return { text, line: line + 1, rule: parsed.ok ? parsed.rule : undefined };
}

export function at(node: RootContent, rule: string, severity: Finding['severity'], message: string, hint: string): LocalFinding {
  return { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1, rule, severity, message, hint };
}
