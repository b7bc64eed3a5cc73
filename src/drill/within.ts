import type { Clock } from '../core/clock.ts';

/** Resolves with the promise's value, or undefined once `ms` have passed or the drill is aborted. */
export async function within<T>(promise: Promise<T>, ms: number, clock: Clock, signal: AbortSignal): Promise<T | undefined> {
  // An abort that came before this wait fires no 'abort' event any more: without this check a
  // Ctrl-C during one wait (the alert's) still sat through the next one (up to the recovery deadline).
  if (ms <= 0 || signal.aborted) return undefined;
  const timeout = new AbortController();
  const onAbort = () => timeout.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([promise, clock.sleep(ms, timeout.signal).then(() => undefined)]);
  } finally {
    timeout.abort();
    signal.removeEventListener('abort', onAbort);
  }
}
