import { watchedKey, type WatchedSeries } from '../../detect/series.ts';
import type { FleetDefinition } from '../definition/schema.ts';
import type { SeriesReading } from '../types.ts';

/**
 * The counters of rejected inputs that agents declare (`metrics: { url, invalid: <series> }`),
 * read with the drill's other series: `invalid(agent=X)` in rules is their sum over X's running
 * instances. An agent none of whose instances answers counts 0, as a fleet whose invalid outputs
 * stopped: the rate rule then says no new ones arrived, which is what a stopped agent means.
 */
export function invalidSeries(fleet: FleetDefinition): WatchedSeries[] {
  return Object.values(fleet.agents).flatMap((a) => {
    const name = a.metrics?.invalid;
    if (!name) return [];
    const selector = { name, labels: {} };
    return [{ agent: a.name, selector, key: watchedKey(a.name, selector) }];
  });
}

/** The sample's `invalid.<agent>` counters from one read of the series. */
export function invalidCounters(watched: readonly WatchedSeries[], readings: Record<string, SeriesReading>): Record<string, number> {
  return Object.fromEntries(watched.map((w) => [`invalid.${w.agent}`, readings[w.key]?.value ?? 0]));
}

/** Every series once: a rule may name a declared invalid counter through metric() too. */
export function withInvalidSeries(watched: readonly WatchedSeries[], invalid: readonly WatchedSeries[]): WatchedSeries[] {
  const keys = new Set(watched.map((w) => w.key));
  return [...watched, ...invalid.filter((w) => !keys.has(w.key))];
}
