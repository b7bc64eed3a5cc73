import { eventsOfType, type JournalEvent } from '../core/journal.ts';

export interface RebalanceFigures {
  /** Longest stretch after injection in which the group's committed offsets did not move although it had lag. */
  pauseMs: number;
  /** The same measure over the baseline's healthy window: the stall a healthy group shows anyway. */
  baselinePauseMs: number;
  /** The group left Stable after injection and was Stable again later. */
  rebalanceObserved: boolean;
  /** Broker-reported states after injection, in order ("Stable>PreparingRebalance>Stable"). */
  states: string;
  leftStableAfterMs: number | null;
  stableAgainAfterMs: number | null;
  baselineLag: number;
  maxLag: number;
  /** Max lag after injection over mean lag in the baseline before it (denominator at least 1). */
  lagSpikeRatio: number;
}

/** Fallback baseline span when the journal has no `baseline.healthy` event. */
const baselineSpanMs = 10_000;

/**
 * The rebalance figures of one group, read from the journal alone (samples and `group.state`
 * events), so they can be recomputed from a saved journal. Only the time between injection and
 * the fault's removal counts: during the drain the load is stopped and offsets stop moving for
 * the good reason that there is nothing left.
 */
export function rebalanceFigures(events: readonly JournalEvent[], group: string): RebalanceFigures | undefined {
  const t0 = eventsOfType(events, 'fault.injected')[0]?.at;
  if (t0 === undefined) return undefined;
  const end = eventsOfType(events, 'fault.removed')[0]?.at ?? Infinity;
  const samples = eventsOfType(events, 'sample')
    .map((e) => ({ at: e.at, g: e.payload.groups[group] }))
    .filter((s): s is { at: number; g: NonNullable<typeof s.g> } => s.g !== undefined);
  // The baseline is the steady-state window that proved the fleet healthy (start-up backlog excluded).
  const baselineFrom = eventsOfType(events, 'baseline.healthy')[0]?.payload.windowStartAt ?? t0 - baselineSpanMs;
  const baseline = samples.filter((s) => s.at < t0 && s.at >= baselineFrom);
  const lastBefore = baseline.at(-1);
  const after = samples.filter((s) => s.at >= t0 && s.at <= end);
  const baselineLag = baseline.length ? baseline.reduce((sum, s) => sum + s.g.lag, 0) / baseline.length : 0;
  const maxLag = Math.max(0, ...after.map((s) => s.g.lag));

  const pauseMs = longestStall(after, lastBefore ?? after[0], t0);
  // The same measure over the healthy window: how long the group goes without progress anyway.
  const baselinePauseMs = longestStall(baseline.slice(1), baseline[0], baseline[0]?.at ?? t0);

  const transitions = eventsOfType(events, 'group.state').filter((e) => e.payload.group === group && e.at >= t0);
  const left = transitions.find((e) => e.payload.to !== 'Stable');
  const back = left ? transitions.find((e) => e.at > left.at && e.payload.to === 'Stable') : undefined;
  const firstState = [...eventsOfType(events, 'group.state')].reverse().find((e) => e.payload.group === group && e.at < t0)?.payload.to;
  return {
    pauseMs,
    baselinePauseMs,
    rebalanceObserved: back !== undefined,
    states: [firstState, ...transitions.map((e) => e.payload.to)].filter(Boolean).join('>'),
    leftStableAfterMs: left ? left.at - t0 : null,
    stableAgainAfterMs: back ? back.at - t0 : null,
    baselineLag: Math.round(baselineLag * 10) / 10,
    maxLag,
    lagSpikeRatio: Math.round((maxLag / Math.max(1, baselineLag)) * 100) / 100,
  };
}

/**
 * The longest stall: from the last sample that advanced (or had nothing to consume: idleness is
 * no pause) to the next advance. Committed offsets move every ~500 ms per member when healthy.
 */
function longestStall(samples: { at: number; g: { committed: number; lag: number } }[], start: { at: number; g: { committed: number } } | undefined, t0: number): number {
  let pauseMs = 0;
  let committed = start?.g.committed ?? 0;
  let stallFrom = start?.at ?? t0;
  for (const s of samples) {
    if (s.g.committed > committed) {
      pauseMs = Math.max(pauseMs, s.at - stallFrom);
      committed = s.g.committed;
      stallFrom = s.at;
    } else if (s.g.lag === 0) {
      stallFrom = s.at;
    }
  }
  return pauseMs;
}
