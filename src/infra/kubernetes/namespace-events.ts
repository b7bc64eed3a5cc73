import type { PlatformEvent } from '../provider.ts';
import { followWatch } from './follow-watch.ts';
import type { KubeApi, WatchEvent } from './kube-api.ts';

/** Enough for any drill's pods (a handful of events each); past it, the journal notes the cut once. */
const maxEvents = 5000;

/**
 * The cluster's own account of the drill's objects: the Events of its namespace (scheduled,
 * started, killed, back-off, failed mounts), followed through the API's watch (follow-watch.ts).
 * A reopened watch lists every event once more, and an event the kubelet repeats comes back with
 * a higher count, so each (event, count) is passed on once.
 */
export async function watchNamespaceEvents(api: KubeApi, namespace: string, emit: (e: PlatformEvent) => void): Promise<{ close(): void }> {
  const path = `/api/v1/namespaces/${namespace}/events`;
  const seen = new Set<string>();
  let cut = false;
  const onEvent = (e: WatchEvent) => {
    if (e.type !== 'ADDED' && e.type !== 'MODIFIED') return;
    const event = platformEvent(e.object);
    const key = `${String(e.object.metadata?.uid)}:${event.count}`;
    if (seen.has(key)) return;
    if (seen.size >= maxEvents) {
      if (!cut) emit({ ...event, type: 'Warning', reason: 'EventsCut', message: `more than ${maxEvents} events: the rest are not journaled` });
      cut = true;
      return;
    }
    seen.add(key);
    emit(event);
  };
  return followWatch(api, path, onEvent);
}

/** A core/v1 Event as the journal keeps it; newer components count repeats in `series`. */
export function platformEvent(o: Record<string, any>): PlatformEvent {
  const involved = o.involvedObject ?? {};
  return {
    source: 'kubernetes',
    type: String(o.type ?? 'Normal'),
    reason: String(o.reason ?? ''),
    object: `${String(involved.kind ?? '').toLowerCase()}/${String(involved.name ?? '')}`,
    message: String(o.message ?? '').slice(0, 1000),
    count: Number(o.count ?? o.series?.count ?? 1),
    component: String(o.source?.component ?? o.reportingComponent ?? ''),
  };
}
