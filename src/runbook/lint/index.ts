import type { Finding, ParsedRunbook } from '../model.ts';
import { lintRules } from './registry.ts';
import { parserFindingShownIn, ruleRunsIn } from './profiles.ts';
import type { LintContext, LintRule } from './types.ts';

export { lintContextFor, drillCommands } from './context.ts';
export { ruleRunsIn } from './profiles.ts';
export { lintRules } from './registry.ts';
export type { FleetNames, LintContext, LintRule } from './types.ts';

/**
 * The parser's findings plus every rule's, sorted by position. A rule that throws is a bug in
 * that rule; it becomes one finding instead of hiding every other rule's.
 */
export function lintRunbook(parsed: ParsedRunbook, context: LintContext, rules: Iterable<LintRule> = lintRules.values()): Finding[] {
  const file = parsed.runbook.file;
  const findings: Finding[] = parsed.findings.filter((f) => parserFindingShownIn(f, context.profile));
  for (const rule of rules) {
    if (!ruleRunsIn(rule, context.profile)) continue;
    try {
      for (const f of rule.check(parsed.runbook, context)) findings.push({ file, rule: rule.id, ...f, severity: f.severity ?? rule.severity });
    } catch (e) {
      findings.push({ file, line: 1, column: 1, rule: rule.id, severity: 'warning', message: `rule ${rule.id} failed: ${(e as Error).message}`, hint: 'this is a bug in agentdrill; please report it with the runbook' });
    }
  }
  return oncePerDefect(findings).sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}

/** One finding per defect: the same rule saying the same thing at the same line is said once. */
function oncePerDefect(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}\0${f.line}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
