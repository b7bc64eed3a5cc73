import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeApi, WatchEvent } from './kube-api.ts';

/**
 * A watch followed for as long as its owner wants it: the API server ends every watch after a
 * while, so it is opened again (after a second when the server cannot be reached, a loaded
 * machine), and `onReopened` lets the owner catch up on what happened between the two. A fresh
 * watch starts by listing what exists (ADDED). Resolves once the first watch has been accepted,
 * so what the owner creates after that is seen.
 */
export async function followWatch(api: KubeApi, path: string, onEvent: (e: WatchEvent) => void, onReopened?: () => Promise<void>): Promise<{ close(): void }> {
  let closed = false;
  let current = await api.watch(path);
  current.onEvent(onEvent);
  void (async () => {
    for (;;) {
      await current.ended;
      if (closed) return;
      const again = await api.watch(path).catch(() => undefined);
      if (closed) {
        again?.close();
        return;
      }
      if (!again) {
        await sleep(1000);
        continue;
      }
      current = again;
      again.onEvent(onEvent);
      await onReopened?.().catch(() => undefined);
    }
  })();
  return {
    close: () => {
      closed = true;
      current.close();
    },
  };
}
