import { parseDuration } from '../core/duration.ts';

// Only the trailing `for <duration>` matters here; the full grammar lives in src/detect.
const forSuffix = /\bfor\s+(\S+)\s*$/;

/** How long a rule must hold before it fires (0 when it has no `for` clause). */
export function ruleForWindowMs(alertRule: string): number {
  const match = forSuffix.exec(alertRule);
  if (!match) return 0;
  return parseDuration(match[1]!) ?? 0;
}

/**
 * Detection cannot be faster than one sample interval plus the rule's `for` window, so a target
 * below this bound can never be met however good the runbook is.
 */
export function detectLowerBound(alertRule: string, sampleIntervalMs: number): number {
  return sampleIntervalMs + ruleForWindowMs(alertRule);
}

/**
 * Paged by a Prometheus rule through Alertmanager, nothing reaches on-call before the rule's
 * `for:` has passed and the group has waited its `group_wait`.
 */
export function prometheusLowerBound(d: { forMs: number; groupWaitMs: number }): number {
  return d.forMs + d.groupWaitMs;
}
