import { formatExactDuration } from '../core/duration.ts';
import type { Condition, Rule } from './rule.ts';
import { quoteLabelValue } from './series.ts';

/** Lossless, unlike core's human formatter; kept here for the rule printer's importers. */
export { formatExactDuration };

/** Canonical text of a rule; `parseRule(formatRule(r))` gives `r` back. */
export function formatRule(rule: Rule): string {
  const body = rule.conditions.map(formatCondition).join(' and ');
  return rule.forMs === undefined ? body : `${body} for ${formatExactDuration(rule.forMs)}`;
}

export function formatCondition(c: Condition): string {
  return `${selectorText(c)} ${c.op} ${c.value}${c.unit ?? ''}`;
}

function selectorText(c: Condition): string {
  if (!c.series) return `${c.metric}(${c.label}=${c.target})`;
  const matchers = Object.entries(c.series.labels).map(([k, v]) => `, ${k}=${quoteLabelValue(v)}`);
  return `metric(agent=${c.target}, name=${c.series.name}${matchers.join('')})`;
}
