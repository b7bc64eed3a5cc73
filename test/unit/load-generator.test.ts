import fc from 'fast-check';
import type { Message, ProducerRecord } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.ts';
import { LoadGenerator, prepareLoad, seqOfStamp, type LoadOptions, type LoadStatus } from '../../src/load/index.ts';

/**
 * Simulated time: each sleep advances the clock and returns on the next macrotask, until `limit`;
 * there sleeps wait for their signal or for release(), so a test decides when the load ends.
 */
function steppingClock(limit: number) {
  let t = 0;
  const held = new Map<() => void, number>();
  const clock: Clock & { limit: number; release(): void; heldMs(): number[] } = {
    limit,
    now: () => t,
    heldMs: () => [...held.values()],
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        if (t + ms <= clock.limit) {
          t += ms;
          setImmediate(resolve);
          return;
        }
        const wake = () => {
          held.delete(wake);
          resolve();
        };
        held.set(wake, ms);
        signal?.addEventListener('abort', wake, { once: true });
      }),
    release: () => {
      for (const wake of [...held.keys()]) wake();
    },
  };
  return clock;
}

/** A producer that records what it was asked to send and answers as `answer` says. */
function fakeProducer(answer: (call: number) => 'ack' | 'fail' | 'hang' = () => 'ack') {
  const sent: Message[][] = [];
  const hanging: (() => void)[] = [];
  let open = 0;
  let maxOpen = 0;
  return {
    sent,
    get maxOpen() {
      return maxOpen;
    },
    releaseAll: () => hanging.splice(0).forEach((r) => r()),
    stamps: () => sent.flat().map((m) => seqOfStamp('t', String(m.headers!['agentdrill-stamp']))!),
    send: async (record: ProducerRecord) => {
      const call = sent.push(record.messages) - 1;
      open++;
      maxOpen = Math.max(maxOpen, open);
      try {
        const how = answer(call);
        if (how === 'hang') await new Promise<void>((r) => hanging.push(r));
        await new Promise((r) => setImmediate(r));
        if (how === 'fail') throw new Error(`broker said no to call ${call}`);
        return [];
      } finally {
        open--;
      }
    },
  };
}

const load = () => prepareLoad({ topic: 'in', ratePerSec: 200, runTag: 't', value: { template: '{"n": {{seq}}}' } });

async function runFor(ms: number, rate: number, producer: ReturnType<typeof fakeProducer>, options: LoadOptions = {}) {
  const clock = steppingClock(ms);
  const generator = new LoadGenerator(producer, { ...(await load()), ratePerSec: rate }, { clock, ...options });
  generator.start();
  await waitUntil(() => clock.now() >= ms || !generator.running);
  return { generator, clock, status: await generator.stop() };
}

/** Bounded: simulated time runs to its limit within a few thousand macrotasks. */
async function waitUntil(done: () => boolean, maxTurns = 200_000): Promise<void> {
  for (let turn = 0; !done(); turn++) {
    if (turn > maxTurns) throw new Error('condition never held');
    await new Promise((r) => setImmediate(r));
  }
}

function invariant(s: LoadStatus, first = 0): void {
  expect(s.lastSeq - first).toBe(s.produced + s.unacknowledged + s.pending);
}

describe('the load generator', () => {
  it('holds the rate over simulated time, with seqs 1..n in order', async () => {
    const producer = fakeProducer();
    const { status } = await runFor(10_000, 200, producer);
    expect(status.produced).toBeGreaterThanOrEqual(1950);
    expect(status.produced).toBeLessThanOrEqual(2000);
    expect(producer.stamps()).toEqual(Array.from({ length: status.produced }, (_, i) => i + 1));
    invariant(status);
  });

  it('counts only acknowledged sends, never reuses a failed seq, and knows which seqs were produced', async () => {
    const producer = fakeProducer((call) => (call % 3 === 1 ? 'fail' : 'ack'));
    const { generator, status } = await runFor(5_000, 400, producer, { batchSize: 50 });
    expect(status.errors).toBeGreaterThan(0);
    expect(status.lastError).toMatch(/broker said no/);
    invariant(status);
    const failed = new Set(producer.sent.filter((_, i) => i % 3 === 1).flatMap((b) => b.map((m) => seqOfStamp('t', String(m.headers!['agentdrill-stamp']))!)));
    expect(status.unacknowledged).toBe(failed.size);
    for (let seq = 1; seq <= status.lastSeq; seq++) expect(generator.isProduced(seq)).toBe(!failed.has(seq));
    expect(new Set(producer.stamps()).size).toBe(producer.stamps().length);
  });

  it('keeps at most maxInFlight sends out, and reports unanswered ones as pending after the grace', async () => {
    const producer = fakeProducer(() => 'hang');
    const clock = steppingClock(3_000);
    const generator = new LoadGenerator(producer, await load(), { clock, maxInFlight: 3, batchSize: 10 });
    generator.start();
    await waitUntil(() => clock.now() >= 3_000);
    expect(producer.maxOpen).toBe(3);
    expect(generator.produced).toBe(0);
    const stopping = generator.stop({ graceMs: 1000 });
    await waitUntil(() => clock.heldMs().includes(1000));
    clock.release();
    const status = await stopping;
    expect(status).toMatchObject({ produced: 0, pending: 30, lastSeq: 30 });
    producer.releaseAll();
    await waitUntil(() => generator.produced === 30);
    invariant(generator.status());
  });

  it('continues numbering after a restart and after a resumed generator, so a stamp is never sent twice', async () => {
    const producer = fakeProducer();
    const clock = steppingClock(1_000);
    const generator = new LoadGenerator(producer, await load(), { clock });
    generator.start();
    await waitUntil(() => clock.now() >= 1_000);
    const first = await generator.stop();
    clock.limit = 2_000;
    generator.start();
    await waitUntil(() => clock.now() >= 2_000);
    const second = await generator.stop();
    expect(second.lastSeq).toBeGreaterThan(first.lastSeq);
    expect(producer.stamps()).toEqual(Array.from({ length: second.lastSeq }, (_, i) => i + 1));
    const next = fakeProducer();
    const { status } = await runFor(500, 200, next, { resumeAfterSeq: second.lastSeq });
    expect(next.stamps()[0]).toBe(second.lastSeq + 1);
    invariant(status, second.lastSeq);
  });

  it('ends on its signal, on maxEvents, and reports progress', async () => {
    const controller = new AbortController();
    const seen: LoadStatus[] = [];
    const producer = fakeProducer();
    const clock = steppingClock(60_000);
    const generator = new LoadGenerator(producer, await load(), { clock, signal: controller.signal, onProgress: (s) => seen.push(s) });
    generator.start();
    await waitUntil(() => clock.now() >= 3_000);
    controller.abort();
    const status = await generator.stop();
    generator.start();
    expect(generator.status()).toEqual(status);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    const capped = await runFor(60_000, 1000, fakeProducer(), { maxEvents: 1234 });
    expect(capped.status).toMatchObject({ produced: 1234, lastSeq: 1234 });
  });

  it('keeps its invariant for any rate, window and failure pattern', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        async (rate, maxInFlight, batchSize, fails) => {
          const producer = fakeProducer((call) => (fails[call % fails.length] ? 'fail' : 'ack'));
          const { generator, status } = await runFor(400, rate, producer, { maxInFlight, batchSize });
          invariant(status);
          expect(status.pending).toBe(0);
          expect(status.produced).toBeLessThanOrEqual(Math.ceil(rate * 0.4) + 2);
          const stamps = producer.stamps();
          expect(new Set(stamps).size).toBe(stamps.length);
          expect(stamps.filter((s) => generator.isProduced(s)).length).toBe(status.produced);
        },
      ),
      { numRuns: 40 },
    );
  });
});
