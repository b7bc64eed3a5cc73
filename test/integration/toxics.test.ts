import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/core/ports.ts';
import { settingsFromEnv } from '../../src/core/settings.ts';
import type { FaultContext, InjectedFault } from '../../src/faults/fault.ts';
import { createFault } from '../../src/faults/registry.ts';
import type { ToxicFaultSpec } from '../../src/faults/toxic-kinds.ts';
import { provisionToxiproxy } from '../../src/infra/local/provision-toxiproxy.ts';
import { startToxiproxy, type RunningToxiproxy } from '../../src/infra/local/toxiproxy-process.ts';

/**
 * Each toxic fault, injected through the fault objects into a real Toxiproxy in front of a small
 * HTTP server on loopback, shows its effect on a real connection. Times are asserted only from
 * below (a toxic can make things slower, never faster), so a busy machine cannot fail them.
 */
const unique = `tx-${process.pid}-${Date.now().toString(36)}`;
const largeBytes = 200_000;
/** The longest any one request here may take: every wait in this file is bounded by it. */
const requestLimitMs = 15_000;

let toxiproxyServer: RunningToxiproxy;
let toxiproxy: Toxiproxy;
let server: http.Server;
let upstreamPort: number;
let workDir: string;
const seen: string[] = [];

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-toxics-'));
  const { bin } = await provisionToxiproxy(settingsFromEnv(), () => undefined);
  toxiproxyServer = await startToxiproxy({ bin, dir: workDir });
  toxiproxy = new Toxiproxy(toxiproxyServer.apiUrl);
  server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    res.end(req.url === '/large' ? Buffer.alloc(largeBytes, 'x') : 'ok');
  });
  // Connections stay open between requests (clients here ask for keep-alive), so a toxic that
  // holds or closes a connection is what ends it, not the server.
  server.keepAliveTimeout = 60_000;
  upstreamPort = await freePort();
  await new Promise<void>((resolve) => server.listen(upstreamPort, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await toxiproxyServer?.child.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

/** A proxy of its own per test (unique name), the fault injected on it as a drill does. */
async function withFault(label: string, spec: ToxicFaultSpec, body: (url: string, injected: InjectedFault) => Promise<void>): Promise<void> {
  const listenPort = await freePort();
  const proxy = await toxiproxy.createProxy({ name: `${unique}-${label}`, listen: `127.0.0.1:${listenPort}`, upstream: `127.0.0.1:${upstreamPort}` });
  try {
    const context = { toxiproxy, proxies: { [spec.target]: proxy.name }, random: () => 0 } as unknown as FaultContext;
    const injected = await createFault(spec).inject(context);
    await body(`http://127.0.0.1:${listenPort}`, injected);
    await injected.remove();
    // Removed means gone: the same request is answered again.
    expect(await request(`http://127.0.0.1:${listenPort}/small`)).toMatchObject({ answered: true, status: 200 });
  } finally {
    await proxy.remove();
  }
}

type Outcome = { answered: true; status: number; bytes: number; ms: number } | { answered: false; error: string | undefined; ms: number };

/** One GET on a fresh connection; never waits past `limitMs` (then: not answered, no error). */
function request(url: string, limitMs = requestLimitMs): Promise<Outcome> {
  const started = performance.now();
  const ms = () => performance.now() - started;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => finish({ answered: true, status: res.statusCode ?? 0, bytes, ms: ms() }));
      res.on('error', (e: NodeJS.ErrnoException) => finish({ answered: false, error: e.code ?? e.message, ms: ms() }));
    });
    const timer = setTimeout(() => finish({ answered: false, error: undefined, ms: ms() }), limitMs);
    req.on('error', (e: NodeJS.ErrnoException) => finish({ answered: false, error: e.code ?? e.message, ms: ms() }));
    function finish(outcome: Outcome) {
      clearTimeout(timer);
      req.destroy();
      agent.destroy();
      resolve(outcome);
    }
  });
}

const toxic = { target: 'test-api', stream: 'downstream', toxicity: 1 } as const;

describe('toxic faults on a real Toxiproxy', () => {
  it('latency: the answer comes at least the latency late', async () => {
    await withFault('latency', { type: 'latency', ...toxic, latencyMs: 400, jitterMs: 0 }, async (url) => {
      const outcome = await request(`${url}/small`);
      expect(outcome).toMatchObject({ answered: true, status: 200 });
      expect(outcome.ms).toBeGreaterThanOrEqual(350);
    });
  });

  it('timeout: the request reaches the dependency, no answer comes back, the connection is closed after the timeout', async () => {
    await withFault('timeout', { type: 'timeout', ...toxic, timeoutMs: 600 }, async (url, injected) => {
      expect(injected.detail).toMatchObject({ toxic: { type: 'timeout', attributes: { timeout: 600 } } });
      const before = seen.filter((u) => u === '/small?timeout').length;
      const outcome = await request(`${url}/small?timeout`);
      expect(outcome.answered).toBe(false);
      expect(outcome).toMatchObject({ error: 'ECONNRESET' }); // Node's "socket hang up": closed with no answer
      expect(outcome.ms).toBeGreaterThanOrEqual(500);
      expect(seen.filter((u) => u === '/small?timeout').length).toBe(before + 1);
    });
  });

  it('timeout 0ms: the connection hangs, and removing the fault ends it', async () => {
    await withFault('timeout-0', { type: 'timeout', ...toxic, timeoutMs: 0 }, async (url, injected) => {
      const pending = request(`${url}/small`);
      const settledEarly = await Promise.race([pending.then(() => true), sleep(1500).then(() => false)]);
      expect(settledEarly).toBe(false); // neither answered nor closed
      await injected.remove();
      const outcome = await pending;
      expect(outcome.answered).toBe(false);
      expect(outcome.ms).toBeLessThan(requestLimitMs); // closed by the removal, not by this test's own limit
    });
  });

  it('bandwidth: a large answer takes at least its size over the rate, and arrives whole', async () => {
    await withFault('bandwidth', { type: 'bandwidth', ...toxic, kbPerSec: 100 }, async (url) => {
      const outcome = await request(`${url}/large`);
      expect(outcome).toMatchObject({ answered: true, status: 200, bytes: largeBytes });
      // 200 000 bytes at 100 KB/s (Toxiproxy's KB: 1000 bytes) is 2 s; the first 100 ms may pass before the limit bites.
      expect(outcome.ms).toBeGreaterThanOrEqual(1500);
    });
  });

  it('reset-peer: the connection is reset (ECONNRESET) instead of answered, after the toxic\'s timeout', async () => {
    await withFault('reset', { type: 'reset-peer', ...toxic, timeoutMs: 300 }, async (url) => {
      const outcome = await request(`${url}/small`);
      expect(outcome).toMatchObject({ answered: false, error: 'ECONNRESET' });
      expect(outcome.ms).toBeGreaterThanOrEqual(250);
    });
  });

  it('reset-peer upstream: the request is reset before the dependency sees it', async () => {
    await withFault('reset-up', { type: 'reset-peer', ...toxic, stream: 'upstream', timeoutMs: 0 }, async (url) => {
      const outcome = await request(`${url}/small?upstream-reset`);
      expect(outcome).toMatchObject({ answered: false, error: 'ECONNRESET' });
      expect(seen).not.toContain('/small?upstream-reset');
    });
  });

  it('slow-close: the answer arrives at once, the close only after the delay', async () => {
    await withFault('slow-close', { type: 'slow-close', ...toxic, delayMs: 1000 }, async (url) => {
      const { answeredMs, closedMs } = await closeTimes(new URL(url));
      expect(closedMs - answeredMs).toBeGreaterThanOrEqual(900);
    });
  });

  it('toxicity 0: the toxic is on the proxy but no connection gets it', async () => {
    await withFault('toxicity-0', { type: 'timeout', ...toxic, toxicity: 0, timeoutMs: 600 }, async (url, injected) => {
      expect(injected.detail).toMatchObject({ toxic: { toxicity: 0 } });
      expect(await request(`${url}/small`)).toMatchObject({ answered: true, status: 200 });
    });
  });
});

/** A raw connection asking the server to close after answering: when the answer came, and when the close did. */
function closeTimes(url: URL): Promise<{ answeredMs: number; closedMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let text = '';
    let answeredMs = NaN;
    const timer = setTimeout(() => socket.destroy(new Error('no close within the limit')), requestLimitMs);
    socket.on('connect', () => socket.write('GET /small HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n'));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.endsWith('\r\n\r\nok')) answeredMs = performance.now() - started;
    });
    socket.on('end', () => {
      clearTimeout(timer);
      socket.destroy();
      if (Number.isNaN(answeredMs)) reject(new Error(`closed before the answer: ${JSON.stringify(text)}`));
      else resolve({ answeredMs, closedMs: performance.now() - started });
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
