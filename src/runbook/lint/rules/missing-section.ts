import type { Runbook, SectionKind } from '../../model.ts';
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
  description: 'a service runbook lacks one of its six sections (summary, health, failure modes, escalation, rollback, change log); an alert page says nothing to do',
  check(runbook) {
    // Health, Rollback and a change log belong to a service; an alert page or a guide is not asked for them.
    if (runbook.kind === 'alert') return alertPage(runbook);
    if (runbook.kind !== 'service') return [];
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

/** An alert page explains one alert; what it cannot lack is what to do about it. */
function alertPage(runbook: Runbook): RuleFinding[] {
  const mode = runbook.failureModes.find((m) => m.implicit);
  if (mode && (mode.headings.respond !== undefined || mode.headings.diagnose !== undefined)) return [];
  return [{ line: 1, column: 1, message: 'the alert page has no Diagnosis or Mitigation: it says what the alert means, not what to do', hint: 'add "## Mitigation" with what on-call does (and "## Diagnosis" with how to confirm it)' }];
}
