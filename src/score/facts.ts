import type { EventPayloads } from '../core/events.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';

/**
 * Everything the verdict depends on, read out of the journal once. Keeping extraction apart from
 * the rules lets the rules be tested (and read) without building journals.
 */
export interface DrillFacts {
  started: EventPayloads['drill.started'] | undefined;
  /** Fault injection time (T0): the origin of every time the score reports. */
  t0: number | undefined;
  baselineHealthy: boolean;
  /** Did any steady-state evaluation at or after T0 fail? */
  steadyBroke: boolean;
  errors: EventPayloads['error'][];
  integrity: EventPayloads['integrity'] | undefined;
  assessment: EventPayloads['fault.assessed'] | undefined;
}

export function extractFacts(events: readonly JournalEvent[]): DrillFacts {
  const started = eventsOfType(events, 'drill.started')[0]?.payload;
  const t0 = eventsOfType(events, 'fault.injected')[0]?.at;
  const steadyBroke =
    t0 !== undefined && eventsOfType(events, 'steady.evaluated').some((e) => e.at >= t0 && !e.payload.holds);
  // The last report wins: a drill may re-check integrity after a late drain.
  const integrity = eventsOfType(events, 'integrity').at(-1)?.payload;
  return {
    started,
    t0,
    baselineHealthy: eventsOfType(events, 'baseline.healthy').length > 0,
    steadyBroke,
    errors: eventsOfType(events, 'error').map((e) => e.payload),
    integrity,
    assessment: eventsOfType(events, 'fault.assessed').at(-1)?.payload,
  };
}
