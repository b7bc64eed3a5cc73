import type { SectionKind } from '../../model.ts';
import type { LintRule, RuleFinding } from '../types.ts';

/** The six sections (DESIGN §5). Summary and change log help readers; the rest is what on-call acts on. */
const required: { kind: SectionKind; title: string; aliases: string; severity: 'error' | 'warning' }[] = [
  { kind: 'summary', title: 'Service summary', aliases: 'Overview, Meaning, Impact', severity: 'warning' },
  { kind: 'health', title: 'Health', aliases: 'Health checks, Golden signals, SLOs', severity: 'error' },
  { kind: 'failure-modes', title: 'Failure modes', aliases: 'Troubleshooting, Diagnosis, Mitigation, Remediation', severity: 'error' },
  { kind: 'escalation', title: 'Escalation', aliases: 'Escalation policy, Contacts', severity: 'error' },
  { kind: 'rollback', title: 'Rollback', aliases: 'Roll back, Rollback plan', severity: 'error' },
  { kind: 'changelog', title: 'Change log', aliases: 'Changelog, Revision history', severity: 'warning' },
];

export const missingSection: LintRule = {
  id: 'missing-section',
  severity: 'error',
  description: 'one of the six sections (summary, health, failure modes, escalation, rollback, change log) is missing',
  check(runbook) {
    const findings: RuleFinding[] = [];
    const kinds = new Set(runbook.sections.map((s) => s.kind));
    for (const section of required) {
      if (kinds.has(section.kind)) continue;
      findings.push({
        line: 1,
        column: 1,
        severity: section.severity,
        message: `no "${section.title}" section`,
        hint: `add "## ${section.title}" (also recognized: ${section.aliases})`,
      });
    }
    const modes = runbook.sections.find((s) => s.kind === 'failure-modes');
    if (modes && runbook.failureModes.length === 0) {
      findings.push({ line: modes.line, column: 1, message: `"${modes.title}" has no failure mode`, hint: 'add one "### <failure mode>" heading per failure, with Detect / Diagnose / Respond / Verify / Escalate under it' });
    }
    if (runbook.health.length === 0 && kinds.has('health')) {
      const health = runbook.sections.find((s) => s.kind === 'health')!;
      findings.push({ line: health.line, column: 1, severity: 'warning', message: 'Health has no threshold table', hint: 'add a table: | metric | green | yellow | red |' });
    }
    return findings;
  },
};
