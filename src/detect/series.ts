import type { Rule } from './rule.ts';

/**
 * A series of an agent's own Prometheus endpoint, as `metric(agent=..., name=..., label="v")`
 * selects it: every sample of that metric name whose labels match the matchers, summed. The
 * other labels are summed over, so `name=http_requests_total` alone is all requests.
 */
export interface SeriesSelector {
  /** A Prometheus metric name, e.g. `scorer_processed_total`. */
  name: string;
  /** Label matchers, as written; `code=""` matches a series without the label, as in PromQL. */
  labels: Record<string, string>;
}

/** Prometheus' own grammar for metric and label names. */
export const seriesNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function matchesSelector(selector: SeriesSelector, name: string, labels: Readonly<Record<string, string>>): boolean {
  if (name !== selector.name) return false;
  // hasOwn: a matcher on `constructor` must not find Object.prototype's.
  return Object.entries(selector.labels).every(([k, v]) => (Object.hasOwn(labels, k) ? labels[k] : '') === v);
}

/** A label value as the exposition format and the rule grammar both quote it. */
export function quoteLabelValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * The selector's identity: matchers sorted, so `a="1", b="2"` and `b="2", a="1"` read (and
 * journal) one series. Written like a PromQL selector, which is how a reader recognises it.
 */
export function seriesKey(selector: SeriesSelector): string {
  const labels = Object.keys(selector.labels)
    .sort()
    .map((k) => `${k}=${quoteLabelValue(selector.labels[k]!)}`);
  return labels.length ? `${selector.name}{${labels.join(',')}}` : selector.name;
}

/** What one agent's endpoint must be read for: the series some rule of the drill names. */
export interface WatchedSeries {
  agent: string;
  selector: SeriesSelector;
  /** `<agent>.<seriesKey>`: the sample's counters hold it as `metric.<key>` and `metric-rate.<key>`. */
  key: string;
}

export function watchedKey(agent: string, selector: SeriesSelector): string {
  return `${agent}.${seriesKey(selector)}`;
}

/** Every series the rules name, once each: what a drill reads from the agents' endpoints. */
export function watchedSeries(rules: readonly Rule[]): WatchedSeries[] {
  const byKey = new Map<string, WatchedSeries>();
  for (const c of rules.flatMap((r) => r.conditions)) {
    if (!c.series) continue;
    const key = watchedKey(c.target, c.series);
    if (!byKey.has(key)) byKey.set(key, { agent: c.target, selector: c.series, key });
  }
  return [...byKey.values()];
}
