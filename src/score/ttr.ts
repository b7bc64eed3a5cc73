import { eventsOfType, type JournalEvent } from '../core/journal.ts';

/**
 * Time-to-recover: from fault injection to the start of the first steady-state window that then
 * held for its whole length. The window start, not its confirmation, is the moment the fleet was
 * healthy again; the confirmation only proves it stayed so.
 */
export function timeToRecover(events: readonly JournalEvent[], t0: number): number | undefined {
  const first = eventsOfType(events, 'recovered').find((e) => e.payload.windowStartAt >= t0);
  return first === undefined ? undefined : first.payload.windowStartAt - t0;
}
