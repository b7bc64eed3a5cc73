import type { SeriesSelector } from './series.ts';

/**
 * The rule model shared by alert rules (runbooks) and steady-state conditions (scenarios).
 * `value` keeps the number as written with its `unit`, so a rule prints back the way a person
 * wrote it; `thresholdOf` gives the value in the sample's base units (events, events/s, bytes).
 */
export const metricNames = ['lag', 'throughput', 'rss', 'invalid', 'members', 'metric'] as const;
export type MetricName = (typeof metricNames)[number];

export const operators = ['<', '<=', '>', '>=', '==', '!='] as const;
export type Operator = (typeof operators)[number];

export const units = ['/s', 'KB', 'MB', 'GB'] as const;
export type Unit = (typeof units)[number];

export type LabelKey = 'group' | 'agent';

/** Which label selects a metric's series, and which units make sense for it. */
export const metricSpecs: Record<MetricName, { label: LabelKey; units: readonly Unit[] }> = {
  lag: { label: 'group', units: [] },
  throughput: { label: 'group', units: ['/s'] },
  members: { label: 'group', units: [] },
  rss: { label: 'agent', units: ['KB', 'MB', 'GB'] },
  invalid: { label: 'agent', units: ['/s'] },
  metric: { label: 'agent', units: ['/s'] },
};

export interface Condition {
  metric: MetricName;
  label: LabelKey;
  /** The group or agent name, e.g. `inventory`. */
  target: string;
  op: Operator;
  value: number;
  unit: Unit | undefined;
  /** `metric` only: which series of the agent's own endpoint (`name=` and label matchers). */
  series?: SeriesSelector;
}

export interface Rule {
  conditions: Condition[];
  /** How long every condition must hold before the rule fires; undefined fires at once. */
  forMs: number | undefined;
}

/** Binary multiples, as container runtimes and `ps` report memory. */
const unitFactor: Record<Unit, number> = { '/s': 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

export function thresholdOf(c: Condition): number {
  return c.unit ? c.value * unitFactor[c.unit] : c.value;
}

/** A base-unit value expressed in the condition's unit, for messages ("actual 212.4MB"). */
export function inConditionUnit(c: Condition, baseValue: number): string {
  const v = c.unit ? baseValue / unitFactor[c.unit] : baseValue;
  const rounded = Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
  return `${rounded}${c.unit ?? ''}`;
}

export function compare(actual: number, op: Operator, threshold: number): boolean {
  switch (op) {
    case '<':
      return actual < threshold;
    case '<=':
      return actual <= threshold;
    case '>':
      return actual > threshold;
    case '>=':
      return actual >= threshold;
    case '==':
      return actual === threshold;
    case '!=':
      return actual !== threshold;
  }
}
