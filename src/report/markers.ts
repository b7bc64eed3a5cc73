import { eventsOfType, type JournalEvent } from '../core/journal.ts';
import type { Marker } from './chart/timeline.ts';
import { fleetMarkers } from './fleet-markers.ts';
import { formatOffset } from './format.ts';

/**
 * The chart's vertical markers, in ms relative to `origin`; step labels match the steps table
 * (S1, S2, ...). Fleet markers (unexpected exits, rebalances) come from fleet-markers.ts.
 */
export function timelineMarkers(events: readonly JournalEvent[], origin: number): Marker[] {
  const markers: Marker[] = [];
  const rel = (at: number) => at - origin;
  const fault = eventsOfType(events, 'fault.injected')[0];
  if (fault) markers.push({ kind: 'fault', x: rel(fault.at), label: 'fault', title: `fault injected: ${fault.payload.fault}` });
  const alert = eventsOfType(events, 'alert.firing').find((e) => fault === undefined || e.at >= fault.at);
  // Paged by a Prometheus rule: the marker is the page (what TTD measures), its firing in the title.
  const page = eventsOfType(events, 'alert.notified').find((e) => e.payload.status === 'firing' && (fault === undefined || e.at >= fault.at));
  if (page) {
    const fired = alert ? `, firing in Prometheus at ${formatOffset(rel(alert.at))}` : '';
    markers.push({ kind: 'alert', x: rel(page.at), label: 'page', title: `paged at ${formatOffset(rel(page.at))} through Alertmanager: ${page.payload.alert}${fired}` });
  } else if (alert) markers.push({ kind: 'alert', x: rel(alert.at), label: 'alert', title: `alert firing at ${formatOffset(rel(alert.at))}: ${alert.payload.rule}` });
  eventsOfType(events, 'step.started').forEach((s, i) =>
    markers.push({ kind: 'step', x: rel(s.at), label: `S${i + 1}`, title: `step ${i + 1} ${s.payload.name} at ${formatOffset(rel(s.at))}` }),
  );
  const recovered = eventsOfType(events, 'recovered').find((e) => fault === undefined || e.payload.windowStartAt >= fault.at);
  if (recovered) {
    const x = rel(recovered.payload.windowStartAt);
    markers.push({ kind: 'recovered', x, label: 'recovered', title: `recovered: steady state held from ${formatOffset(x)}` });
  }
  // concat, not push(...): a crash-looping fleet over hours has more exits than the call stack holds.
  return markers.concat(fleetMarkers(events, origin));
}
