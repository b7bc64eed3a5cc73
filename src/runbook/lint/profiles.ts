import type { Finding, LintProfile } from '../model.ts';
import type { LintRule } from './types.ts';

/**
 * The parser's findings that only matter to a drill: whether a block is run, how steps are
 * named, where the alert rule sits. A person reading the page at 3 a.m. is not slowed by any of
 * them, so the on-call profile never shows them.
 */
const drillOnlyParserFindings = new Set([
  'step-outside-phase',
  'unknown-phase',
  'fence-no-lang',
  'console-no-commands',
  'duplicate-step-name',
  'multiple-alerts',
  'alert-outside-detect',
  'failure-mode-id',
  'duplicate-failure-mode',
]);

export function ruleRunsIn(rule: LintRule, profile: LintProfile): boolean {
  return !rule.profiles || rule.profiles.includes(profile);
}

export function parserFindingShownIn(finding: Finding, profile: LintProfile): boolean {
  return profile === 'drill' || !drillOnlyParserFindings.has(finding.rule);
}
