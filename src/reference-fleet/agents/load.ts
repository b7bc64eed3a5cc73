import { readFileSync } from 'node:fs';
import type { Message } from 'kafkajs';
import { saveJsonAtomic } from '../decision-state.ts';
import { skuFor, type Order } from '../messages.ts';
import { newBucket, takeTokens } from '../../load/token-bucket.ts';
import { startAdminServer } from './admin-server.ts';
import { connectProducer, kafkaClient } from './kafka.ts';
import { jsonMessage } from './ordered-pool.ts';
import { AgentRuntime, errorText, readEnv } from './runtime.ts';

/**
 * The load generator: orders with seq 1..n, strictly increasing and gap-free, at `rate` per
 * second. `processed` is the count the broker acknowledged; the last seq is persisted so a
 * restarted generator continues the sequence instead of reusing it.
 */
const tickMs = 50;
const maxBatch = 500;

const env = readEnv();
const rt = new AgentRuntime(env, { rate: env.rate });
rt.installSignalHandlers();
const producedBefore = readProduced(env.stateFile);
rt.processed = producedBefore;
let stopped = false;
let loop: Promise<void> | undefined;

await startAdminServer(rt, {
  extraMetrics: () => ({ produced: rt.processed, rate: rt.config.rate, stopped }),
  routes: {
    'POST /stop-load': async () => {
      stopped = true;
      await loop;
      persist();
      return { produced: rt.processed };
    },
  },
});
const producer = await connectProducer(rt, kafkaClient(rt)).catch((e: unknown) => rt.fail('producer did not connect', e));
rt.onShutdown(async () => {
  stopped = true;
  await loop;
  persist();
});
rt.healthy = true;
loop = produceLoop();

async function produceLoop(): Promise<void> {
  let bucket = newBucket(Date.now());
  let lastPersist = 0;
  while (!stopped) {
    const rate = Math.max(0, Number(rt.config.rate) || 0);
    const next = takeTokens(bucket, Date.now(), rate, maxBatch);
    bucket = next.bucket;
    if (next.take > 0) await sendOrders(next.take);
    if (Date.now() - lastPersist > 200) {
      persist();
      lastPersist = Date.now();
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
}

async function sendOrders(count: number): Promise<void> {
  const messages: Message[] = [];
  for (let i = 1; i <= count; i++) {
    const seq = rt.processed + i;
    const order: Order = { seq, sku: skuFor(seq * 7919), qty: 1 + (seq % 5), ts: Date.now() };
    messages.push(jsonMessage(order.sku, order));
  }
  // Retried until acknowledged: skipping seqs would show up as losses that never happened.
  for (let attempt = 0; ; attempt++) {
    try {
      await producer.send({ topic: env.topicOut, messages });
      rt.processed += count;
      return;
    } catch (e) {
      rt.log('warn', 'produce failed, retrying', { error: errorText(e), attempt });
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
    }
  }
}

function persist(): void {
  if (env.stateFile) saveJsonAtomic(env.stateFile, { produced: rt.processed });
}

function readProduced(file: string | undefined): number {
  if (!file) return 0;
  try {
    const produced = (JSON.parse(readFileSync(file, 'utf8')) as { produced?: unknown }).produced;
    return Number.isSafeInteger(produced) ? (produced as number) : 0;
  } catch {
    return 0;
  }
}
