import type { Heading, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { extractFrontMatter } from './front-matter.ts';
import { phaseNames, type FailureMode, type Finding, type ParsedRunbook, type PhaseName, type Runbook, type SectionKind } from './model.ts';
import { headingParts, phaseHeadingNames, phaseOf, sectionKind, slug } from './parse-headings.ts';
import { at, parsePhase, shellLangs, type LocalFinding } from './parse-phase.ts';

/**
 * Markdown runbook → model. Structure comes from the mdast tree (H2 sections, H3 failure modes
 * under "Failure modes", H4 phases), never from line patterns. Never throws: whatever is odd
 * becomes a finding with a line, so `validate` can show all of it at once.
 */
export function parseRunbook(text: string, file: string): ParsedRunbook {
  const front = extractFrontMatter(text);
  const findings: LocalFinding[] = [...front.findings];
  const root = fromMarkdown(front.body);
  const runbook: Runbook = { file, title: undefined, frontMatter: front.data, sections: [], failureModes: [] };

  let section: SectionKind | undefined;
  let mode: FailureMode | undefined;
  let phase: { name: PhaseName; nodes: RootContent[] } | undefined;
  let looseSteps: RootContent[] = [];

  const closePhase = () => {
    if (mode && phase) addPhase(mode, phase.name, phase.nodes, findings);
    phase = undefined;
  };
  const closeMode = () => {
    closePhase();
    for (const node of looseSteps) {
      findings.push(at(node, 'step-outside-phase', 'warning', `this ${kindOf(node)} block is not under a phase heading, so it is not run`, `put it under "#### ${phaseHeadingNames.join('", "#### ')}"`));
    }
    looseSteps = [];
    mode = undefined;
  };

  for (const node of root.children) {
    if (node.type !== 'heading' || node.depth > 4) {
      if (phase) phase.nodes.push(node);
      else if (mode && node.type === 'code' && isStepFence(node.lang)) looseSteps.push(node);
      continue;
    }
    const parts = headingParts(node);
    const line = node.position?.start.line ?? 1;
    if (node.depth === 1) {
      closeMode();
      runbook.title ??= parts.title;
      section = undefined;
    } else if (node.depth === 2) {
      closeMode();
      section = sectionKind(parts.key);
      runbook.sections.push({ title: parts.title, kind: section, line });
    } else if (node.depth === 3) {
      closeMode();
      if (section === 'failure-modes') mode = newFailureMode(node, runbook, findings);
    } else if (mode) {
      closePhase();
      const name = phaseOf(parts.key);
      if (name) {
        phase = { name, nodes: [] };
        if (parts.estimateMs !== undefined) mode.estimatesMs[name] = parts.estimateMs;
      } else {
        findings.push(at(node, 'unknown-phase', 'warning', `"${parts.title}" is not a phase; its content is not run`, `use one of ${phaseHeadingNames.join(', ')}`));
      }
    }
  }
  closeMode();
  findings.sort((a, b) => a.line - b.line || a.column - b.column);
  return { runbook, findings: findings.map((f): Finding => ({ file, ...f })) };
}

function newFailureMode(node: Heading, runbook: Runbook, findings: LocalFinding[]): FailureMode | undefined {
  const parts = headingParts(node);
  const title = parts.bareTitle || parts.title;
  const id = (parts.explicitId ?? slug(title)).toLowerCase();
  if (!id) {
    findings.push(at(node, 'failure-mode-id', 'warning', `failure mode heading "${parts.title}" gives no id`, 'use words in the title, or add an explicit {#id}'));
    return undefined;
  }
  if (runbook.failureModes.some((m) => m.id === id)) {
    findings.push(at(node, 'duplicate-failure-mode', 'error', `failure mode id "${id}" is used twice`, 'give one of them another title or an explicit {#id}'));
    return undefined;
  }
  const phases = Object.fromEntries(phaseNames.map((p) => [p, []])) as unknown as FailureMode['phases'];
  const mode: FailureMode = { id, title, line: node.position?.start.line ?? 1, alert: undefined, phases, estimatesMs: {} };
  runbook.failureModes.push(mode);
  return mode;
}

function addPhase(mode: FailureMode, name: PhaseName, nodes: RootContent[], findings: LocalFinding[]): void {
  const content = parsePhase(name, nodes);
  findings.push(...content.findings);
  for (const alert of content.alerts) {
    if (mode.alert) {
      findings.push({ line: alert.line, column: 1, rule: 'multiple-alerts', severity: 'warning', message: `failure mode "${mode.id}" has more than one alert block; the first is used`, hint: 'join the conditions with "and" in one block' });
      continue;
    }
    mode.alert = alert;
    if (name !== 'detect') {
      findings.push({ line: alert.line, column: 1, rule: 'alert-outside-detect', severity: 'warning', message: `the alert block is under ${name}, not Detect`, hint: 'move it under "#### Detect"' });
    }
  }
  const steps = mode.phases[name];
  for (const step of content.steps) {
    const clash = Object.values(mode.phases).flat().find((s) => s.name === step.name);
    if (clash) {
      findings.push({ line: step.line, column: 1, rule: 'duplicate-step-name', severity: 'warning', message: `step name "${step.name}" is also used at line ${clash.line}`, hint: 'give each step its own name attribute' });
    }
    steps.push(step);
  }
}

function isStepFence(lang: string | null | undefined): boolean {
  const word = (lang ?? '').split('{')[0]!.toLowerCase();
  return word === 'alert' || shellLangs.includes(word);
}

function kindOf(node: RootContent): string {
  return node.type === 'code' ? (node.lang ?? 'code').split('{')[0]! : node.type;
}
