import type { PhaseName } from '../../model.ts';
import type { LintRule, RuleFinding } from '../types.ts';

const needed: { phase: Exclude<PhaseName, 'detect' | 'diagnose'>; heading: string; why: string }[] = [
  { phase: 'respond', heading: 'Respond', why: 'what on-call does to stop the damage' },
  { phase: 'verify', heading: 'Verify', why: 'how on-call knows it worked' },
  { phase: 'escalate', heading: 'Escalate', why: 'whom to call when it did not' },
];

export const failureModeIncomplete: LintRule = {
  id: 'failure-mode-incomplete',
  severity: 'error',
  description: 'a failure mode lacks its response (on-call: of a service runbook), or its alert rule, verification or escalation (drill)',
  check(runbook, context) {
    const findings: RuleFinding[] = [];
    const drill = context.profile === 'drill';
    // A person needs to know what to do; the alert rule, Verify and Escalate are what a drill measures.
    if (!drill && runbook.kind !== 'service') return [];
    for (const mode of runbook.failureModes) {
      if (drill && !mode.alert) {
        const line = mode.headings.detect ?? mode.line;
        const message = mode.headings.detect ? `"${mode.title}": Detect has no \`\`\`alert block` : `"${mode.title}" has no detection (no Detect and no alert rule)`;
        findings.push({ line, column: 1, message, hint: 'add under "#### Detect" a block ```alert with e.g. lag(group=inventory) > 500 for 30s' });
      }
      for (const { phase, heading, why } of needed) {
        if (mode.phases[phase].length > 0 || (!drill && phase !== 'respond')) continue;
        // A one-alert page escalates through the page's Escalation section.
        if (phase === 'escalate' && mode.implicit && runbook.escalation) continue;
        const line = mode.headings[phase] ?? mode.line;
        const message = mode.headings[phase] !== undefined ? `"${mode.title}": ${heading} is empty` : `"${mode.title}" has no ${heading} (${why})`;
        findings.push({ line, column: 1, message, hint: `write the steps under "#### ${heading}", as commands in \`\`\`sh blocks or as prose` });
      }
    }
    return findings;
  },
};
