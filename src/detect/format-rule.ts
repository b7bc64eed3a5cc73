import type { Condition, Rule } from './rule.ts';

/** Canonical text of a rule; `parseRule(formatRule(r))` gives `r` back. */
export function formatRule(rule: Rule): string {
  const body = rule.conditions.map(formatCondition).join(' and ');
  return rule.forMs === undefined ? body : `${body} for ${formatExactDuration(rule.forMs)}`;
}

export function formatCondition(c: Condition): string {
  return `${c.metric}(${c.label}=${c.target}) ${c.op} ${c.value}${c.unit ?? ''}`;
}

/** Lossless, unlike core's human formatter: the largest unit that divides the value evenly. */
export function formatExactDuration(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms > 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
