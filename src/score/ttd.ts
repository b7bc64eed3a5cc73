import { eventsOfType, type JournalEvent } from '../core/journal.ts';

/**
 * Time-to-detect: from fault injection to the first alert firing at or after it. An alert that
 * fired before the fault (a noisy rule during baseline) detected nothing, so it is ignored.
 */
export function timeToDetect(events: readonly JournalEvent[], t0: number): number | undefined {
  const first = eventsOfType(events, 'alert.firing').find((e) => e.at >= t0);
  return first === undefined ? undefined : first.at - t0;
}
