import type { PrometheusDetectionRecord } from '../core/events.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';
import { formatSeconds } from './format.ts';

/** Where detection's time went, from injection: each stage's first time after it, or undefined. */
export interface DetectionBreakdown {
  alert: string;
  forMs: number;
  scrapeIntervalMs: number;
  evaluationIntervalMs: number;
  groupWaitMs: number;
  /** Offsets from injection (ms). */
  thresholdMs: number | undefined;
  pendingMs: number | undefined;
  firingMs: number | undefined;
  notifiedMs: number | undefined;
}

export function detectionBreakdown(events: readonly JournalEvent[], t0: number): DetectionBreakdown | undefined {
  const d: PrometheusDetectionRecord | undefined = eventsOfType(events, 'drill.started')[0]?.payload.detection;
  if (!d) return undefined;
  const after = (list: readonly JournalEvent[]) => {
    const e = list.find((x) => x.at >= t0);
    return e === undefined ? undefined : e.at - t0;
  };
  const mine = <T extends JournalEvent<string, { alert?: string; rule?: string }>>(list: T[]) => list.filter((e) => (e.payload.alert ?? e.payload.rule) === d.alert);
  return {
    alert: d.alert,
    forMs: d.forMs,
    scrapeIntervalMs: d.scrapeIntervalMs,
    evaluationIntervalMs: d.evaluationIntervalMs,
    groupWaitMs: d.groupWaitMs,
    thresholdMs: after(mine(eventsOfType(events, 'alert.threshold'))),
    // A pending alert's activeAt may be a moment before injection when the expression was
    // already true then; the first pending journaled after injection is the one that counts.
    pendingMs: after(mine(eventsOfType(events, 'alert.pending'))),
    firingMs: after(mine(eventsOfType(events, 'alert.firing').filter((e) => e.payload.source === 'prometheus'))),
    notifiedMs: after(mine(eventsOfType(events, 'alert.notified').filter((e) => e.payload.status === 'firing'))),
  };
}

/**
 * One line: each stage at its time after injection, and what lies between them (`for:`,
 * `group_wait`), so a team sees which of its settings costs it the target.
 */
export function describeBreakdown(b: DetectionBreakdown): string {
  const at = (ms: number | undefined) => (ms === undefined ? 'never' : `+${formatSeconds(ms)}`);
  const parts = [
    `over threshold ${at(b.thresholdMs)}`,
    `pending ${at(b.pendingMs)}`,
    `firing ${at(b.firingMs)} (for: ${formatSeconds(b.forMs)}, evaluated every ${formatSeconds(b.evaluationIntervalMs)})`,
    `notified ${at(b.notifiedMs)} (group_wait ${formatSeconds(b.groupWaitMs)})`,
  ];
  return `${b.alert}: ${parts.join(', ')}; scraped every ${formatSeconds(b.scrapeIntervalMs)}`;
}
