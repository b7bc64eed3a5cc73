import { eventsOfType, type JournalEvent } from '../core/journal.ts';

/**
 * Time-to-detect: from fault injection to the first alert firing at or after it. An alert that
 * fired before the fault (a noisy rule during baseline) detected nothing, so it is ignored. When
 * the team's Prometheus rule pages (drill.started's `detection`), detection is the page itself:
 * Alertmanager's notification, after `for:`, the evaluation interval and `group_wait`.
 */
export function timeToDetect(events: readonly JournalEvent[], t0: number): number | undefined {
  const paged = eventsOfType(events, 'drill.started')[0]?.payload.detection !== undefined;
  const first = paged
    ? eventsOfType(events, 'alert.notified').find((e) => e.at >= t0 && e.payload.status === 'firing')
    : eventsOfType(events, 'alert.firing').find((e) => e.at >= t0);
  return first === undefined ? undefined : first.at - t0;
}
