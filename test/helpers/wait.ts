import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export type Probe<T> = () => Promise<T | undefined | false> | T | undefined | false;

/**
 * Polls `probe` until it gives a value (not undefined/false), or throws naming `what` with the
 * last error. A probe that throws is "not yet": brokers answer transiently while they rebalance.
 */
export async function until<T>(what: string, probe: Probe<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, { cause: lastError });
    await sleep(200);
  }
}

/** GET without keep-alive (a fresh connection each time, as a proxied client sees it), timed. */
export async function timedGet(url: string): Promise<{ ms: number; body: string }> {
  const started = performance.now();
  const body = await new Promise<string>((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      })
      .on('error', reject);
  });
  return { ms: performance.now() - started, body };
}
