import { firstSustainedBreak } from '../detect/steady-break.ts';
import type { EventPayloads } from '../core/events.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';
import { detectionBreakdown, type DetectionBreakdown } from './detection-breakdown.ts';

/**
 * Everything the verdict depends on, read out of the journal once. Keeping extraction apart from
 * the rules lets the rules be tested (and read) without building journals.
 */
export interface DrillFacts {
  started: EventPayloads['drill.started'] | undefined;
  /** Fault injection time (T0): the origin of every time the score reports. */
  t0: number | undefined;
  baselineHealthy: boolean;
  /** Warm-up's end (absent in journals from before warm-up was measured). */
  warmup: EventPayloads['warmup.finished'] | undefined;
  /** The baseline's evidence when it never held. */
  baselineUnhealthy: EventPayloads['baseline.unhealthy'] | undefined;
  /** A no-fault control: nothing was injected, so there was nothing to detect or recover from. */
  control: boolean;
  /** Did the steady state break, for at least steadyBreakMs in a row, at or after T0? */
  steadyBroke: boolean;
  errors: EventPayloads['error'][];
  integrity: EventPayloads['integrity'] | undefined;
  assessment: EventPayloads['fault.assessed'] | undefined;
  /** Threshold → pending → firing → notified, when the team's Prometheus rule pages. */
  detection: DetectionBreakdown | undefined;
}

export function extractFacts(events: readonly JournalEvent[]): DrillFacts {
  const started = eventsOfType(events, 'drill.started')[0]?.payload;
  const t0 = eventsOfType(events, 'fault.injected')[0]?.at;
  const steadyBroke =
    t0 !== undefined &&
    firstSustainedBreak(eventsOfType(events, 'steady.evaluated').filter((e) => e.at >= t0).map((e) => ({ at: e.at, holds: e.payload.holds }))) !== undefined;
  // The last report wins: a drill may re-check integrity after a late drain.
  const integrity = eventsOfType(events, 'integrity').at(-1)?.payload;
  return {
    started,
    t0,
    control: eventsOfType(events, 'fault.injected')[0]?.payload.fault === 'none',
    baselineHealthy: eventsOfType(events, 'baseline.healthy').length > 0,
    warmup: eventsOfType(events, 'warmup.finished').at(-1)?.payload,
    baselineUnhealthy: eventsOfType(events, 'baseline.unhealthy').at(-1)?.payload,
    steadyBroke,
    errors: eventsOfType(events, 'error').map((e) => e.payload),
    integrity,
    assessment: eventsOfType(events, 'fault.assessed').at(-1)?.payload,
    detection: t0 === undefined ? undefined : detectionBreakdown(events, t0),
  };
}
