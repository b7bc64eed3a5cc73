import { setTimeout as sleep } from 'node:timers/promises';
import { followWatch } from '../follow-watch.ts';
import type { KubeApi } from '../kube-api.ts';
import { viewOf, type PodView } from './pod-status.ts';

export interface PodWatch {
  /** The first view that is not `pending` (running or ended), or undefined after `timeoutMs`. */
  settled(timeoutMs: number): Promise<PodView | undefined>;
  /** Settles once with the pod's end: its container terminated, the kubelet gave up, or it was deleted. */
  readonly ended: Promise<Extract<PodView, { kind: 'ended' }>>;
  close(): void;
}

/**
 * One pod followed through the API's watch (`fieldSelector=metadata.name=…`, follow-watch.ts),
 * not by polling; a pod deleted between two watches is read as deleted. Resolves once the server
 * has accepted the first watch: create the pod after that.
 */
export async function watchPod(api: KubeApi, namespace: string, name: string): Promise<PodWatch> {
  const path = `/api/v1/namespaces/${namespace}/pods?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`;
  let settle: (v: PodView) => void = () => undefined;
  const settledOnce = new Promise<PodView>((r) => (settle = r));
  let end: (v: Extract<PodView, { kind: 'ended' }>) => void = () => undefined;
  const ended = new Promise<Extract<PodView, { kind: 'ended' }>>((r) => (end = r));
  let last: Record<string, any> | undefined;
  const onView = (view: PodView) => {
    if (view.kind === 'pending') return;
    settle(view);
    if (view.kind === 'ended') end(view);
  };
  const followed = await followWatch(
    api,
    path,
    (e) => {
      last = e.object;
      onView(viewOf(e.type, e.object));
    },
    // A fresh watch lists the pod as it is now; one deleted between the two watches is not listed at all.
    async () => {
      const now = await api.request('GET', `/api/v1/namespaces/${namespace}/pods/${name}`);
      if (now.status === 404 && last) onView(viewOf('DELETED', last));
    },
  );
  return {
    settled: async (timeoutMs) => {
      // A timer that outlives the answer would hold the process open for up to timeoutMs.
      const timer = new AbortController();
      const late = sleep(timeoutMs, undefined, { signal: timer.signal }).catch(() => undefined);
      try {
        return await Promise.race([settledOnce, late]);
      } finally {
        timer.abort();
      }
    },
    ended,
    close: () => followed.close(),
  };
}
