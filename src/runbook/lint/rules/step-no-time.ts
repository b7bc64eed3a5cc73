import type { LintRule, RuleFinding } from '../types.ts';

export const stepNoTime: LintRule = {
  id: 'step-no-time',
  severity: 'warning',
  profiles: ['drill'],
  description: 'a step has neither a time estimate in its phase heading, e.g. "(~2 min)", nor a timeout attribute',
  check(runbook) {
    const findings: RuleFinding[] = [];
    for (const mode of runbook.failureModes) {
      for (const [phase, steps] of Object.entries(mode.phases)) {
        if (steps.length === 0 || mode.estimatesMs[phase as keyof typeof mode.estimatesMs] !== undefined) continue;
        const heading = phase[0]!.toUpperCase() + phase.slice(1);
        const manual = steps.filter((s) => s.manual);
        for (const step of steps.filter((s) => !s.manual && s.attributes.timeout === undefined)) {
          findings.push({ line: step.line, column: 1, message: `step "${step.name}" (${mode.id} › ${phase}) has no timeout and its phase no time estimate`, hint: `add timeout=30s to the fence, or an estimate to the heading: "#### ${heading} (~2 min)"` });
        }
        if (manual.length > 0) {
          const line = mode.headings[phase as keyof typeof mode.headings] ?? manual[0]!.line;
          findings.push({ line, column: 1, message: `${manual.length} manual step(s) in ${mode.id} › ${phase} have no time estimate`, hint: `add an estimate to the heading: "#### ${heading} (~5 min)"` });
        }
      }
    }
    const rollback = runbook.rollback;
    if (rollback && rollback.estimateMs === undefined) {
      for (const block of rollback.blocks.filter((b) => b.attributes.timeout === undefined)) {
        findings.push({ line: block.line, column: 1, message: `rollback step "${block.name}" has no timeout`, hint: 'add timeout=30s to the fence, or "## Rollback (~2 min)"' });
      }
    }
    return findings;
  },
};
