import type { Heading, RootContent } from 'mdast';
import { phaseNames, type FailureMode, type PhaseName, type Runbook } from './model.ts';
import { at, parseBlocks, type LocalFinding } from './parse-phase.ts';

/** Whether the H2 at `index` has H3s before the next H1/H2: then they are failure modes. */
export function hasSubheading(nodes: readonly RootContent[], index: number): boolean {
  for (const node of nodes.slice(index + 1)) {
    if (node.type !== 'heading') continue;
    if (node.depth <= 2) return false;
    if (node.depth === 3) return true;
  }
  return false;
}

export function newFailureMode(runbook: Runbook, id: string, title: string, line: number, implicit: boolean, findings: LocalFinding[], node: Heading): FailureMode | undefined {
  if (!id) {
    findings.push(at(node, 'failure-mode-id', 'warning', `failure mode heading "${title}" gives no id`, 'use words in the title, or add an explicit {#id}'));
    return undefined;
  }
  if (runbook.failureModes.some((m) => m.id === id)) {
    findings.push(at(node, 'duplicate-failure-mode', 'error', `failure mode id "${id}" is used twice`, 'give one of them another title or an explicit {#id}'));
    return undefined;
  }
  const phases = Object.fromEntries(phaseNames.map((p) => [p, []])) as unknown as FailureMode['phases'];
  const mode: FailureMode = { id, title, line, alert: undefined, phases, headings: {}, estimatesMs: {}, implicit };
  runbook.failureModes.push(mode);
  return mode;
}

export function addPhase(mode: FailureMode, name: PhaseName, nodes: RootContent[], findings: LocalFinding[]): void {
  const content = parseBlocks(name, nodes);
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
  const offset = steps.length;
  for (const block of content.blocks) {
    // A phase split over several headings (page style) keeps numbering its steps.
    const renamed = offset > 0 && block.attributes.name === undefined ? { ...block, name: `${name}-${offset + Number(block.name.split('-').pop())}` } : block;
    const clash = Object.values(mode.phases).flat().find((s) => s.name === renamed.name);
    if (clash) {
      findings.push({ line: block.line, column: 1, rule: 'duplicate-step-name', severity: 'warning', message: `step name "${renamed.name}" is also used at line ${clash.line}`, hint: 'give each step its own name attribute' });
    }
    steps.push({ ...renamed, phase: name });
  }
}
