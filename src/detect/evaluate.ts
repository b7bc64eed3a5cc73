import type { Sample } from '../observe/sample.ts';
import { formatCondition } from './format-rule.ts';
import { watchedKey } from './series.ts';
import { compare, inConditionUnit, thresholdOf, type Condition, type Rule } from './rule.ts';

export interface ConditionOutcome {
  condition: string;
  /** In base units (events, events/s, bytes); undefined when the sample has no such series. */
  value: number | undefined;
  holds: boolean;
}

export interface Evaluation {
  holds: boolean;
  /** One line per condition that does not hold, with the actual value or "no data". */
  failing: string[];
  outcomes: ConditionOutcome[];
}

/**
 * The series a condition reads. Missing data never satisfies a condition: a rule about a group
 * nobody sampled must not fire an alert, nor confirm a steady state.
 *
 * - lag / throughput / members(group=X): `sample.groups[X]`.
 * - rss(agent=X): the largest `rssBytes` among X's instances that are up (the one closest to OOM).
 * - invalid(agent=X): without a unit, `sample.counters['invalid.X']`, the cumulative count of
 *   invalid inputs X reported; with `/s`, `sample.counters['invalid-rate.X']`, its per-second
 *   rate (so `invalid(agent=X) == 0/s` means "no new invalid outputs", whatever came before).
 * - metric(agent=X, name=N, ...): `sample.counters['metric.X.<series>']`, the series summed over
 *   X's running instances as their endpoints last answered; with `/s`, `metric-rate.X.<series>`,
 *   its per-second increase with counter resets (restarts) taken as Prometheus' rate() takes them.
 */
export function metricValue(c: Condition, sample: Sample): number | undefined {
  switch (c.metric) {
    case 'lag':
    case 'throughput':
    case 'members':
      return sample.groups[c.target]?.[c.metric];
    case 'rss': {
      let max: number | undefined;
      for (const a of Object.values(sample.agents)) {
        if (a.agent === c.target && a.up && (max === undefined || a.rssBytes > max)) max = a.rssBytes;
      }
      return max;
    }
    case 'invalid':
      return sample.counters[c.unit === '/s' ? `invalid-rate.${c.target}` : `invalid.${c.target}`];
    case 'metric':
      return c.series && sample.counters[`${c.unit === '/s' ? 'metric-rate' : 'metric'}.${watchedKey(c.target, c.series)}`];
  }
}

export function evaluateConditions(conditions: readonly Condition[], sample: Sample): Evaluation {
  const outcomes: ConditionOutcome[] = [];
  const failing: string[] = [];
  for (const c of conditions) {
    const value = metricValue(c, sample);
    const holds = value !== undefined && Number.isFinite(value) && compare(value, c.op, thresholdOf(c));
    const condition = formatCondition(c);
    outcomes.push({ condition, value, holds });
    if (!holds) failing.push(`${condition}: ${value === undefined ? 'no data' : `actual ${inConditionUnit(c, value)}`}`);
  }
  return { holds: failing.length === 0, failing, outcomes };
}

/** Whether all of a rule's conditions hold in one sample (its `for` window is the tracker's job). */
export function evaluateCondition(rule: Rule, sample: Sample): Evaluation {
  return evaluateConditions(rule.conditions, sample);
}
