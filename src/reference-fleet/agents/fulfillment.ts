import vm from 'node:vm';
import v8 from 'node:v8';
import type { KafkaMessage, Message } from 'kafkajs';
import type { Fulfilled } from '../messages.ts';
import { ProfileCache } from '../profile-cache.ts';
import { validateDecision } from '../validate.ts';
import { startAdminServer } from './admin-server.ts';
import { connectProducer, kafkaClient, runConsumer } from './kafka.ts';
import { jsonMessage, parseJson, processBatch } from './ordered-pool.ts';
import { AgentRuntime, readEnv } from './runtime.ts';

/**
 * The fulfillment agent: validates each decision (invalid ones are counted and forwarded marked
 * `valid: false`, so the sink still accounts for them) and builds a shipping profile per order,
 * cached for `cacheTtlMs`. A long TTL with large profiles is a leak: memory grows with the
 * order rate until the heap limit, which is what the resource-exhaustion drill turns on.
 *
 * `leakMbPerSec` > 0 adds that much retained memory per second to the cache (entries nobody
 * reads again, as with an unbounded key), so the TTL alone decides how much stays: a long TTL
 * grows the heap until V8 aborts with "heap out of memory", a short one holds it flat.
 */
const env = readEnv();
const rt = new AgentRuntime(env, { cacheTtlMs: 1000, profileBytes: 256, leakMbPerSec: 0, gcAfterEvictMb: 4 });
rt.installSignalHandlers();
const cache = new ProfileCache<number[]>();
const ttl = () => Math.max(0, Number(rt.config.cacheTtlMs) || 0);
const MiB = 1024 * 1024;
const tickMs = 250;
/** 1 MiB of small integers on the V8 heap (8 bytes each): counts against --max-old-space-size. */
const chunkLength = MiB / 8;

// V8 hands freed heap back to the OS only after a major GC, which a quiet old generation may not
// run for a long time; after a big eviction the agent asks for one, as cache flushes often do.
v8.setFlagsFromString('--expose-gc');
const fullGc = vm.runInNewContext('gc') as () => void;
let evictedBytes = 0;
const sweepNow = () => {
  cache.sweep(Date.now(), ttl(), (value) => (evictedBytes += value.length * 8));
  const gcAfter = (Number(rt.config.gcAfterEvictMb) || 0) * MiB;
  if (gcAfter > 0 && evictedBytes >= gcAfter) {
    evictedBytes = 0;
    fullGc();
  }
};
let leakOwed = 0;
let leaked = 0;
const leakTick = () => {
  const rate = Math.max(0, Number(rt.config.leakMbPerSec) || 0);
  if (rate === 0) return void (leakOwed = 0);
  leakOwed += (rate * MiB * tickMs) / 1000;
  const now = Date.now();
  // Bounded: at most 64 chunks per tick, whatever rate was configured.
  for (let i = 0; i < 64 && leakOwed >= MiB; i++, leakOwed -= MiB) {
    cache.set(`leak/${leaked++}`, new Array<number>(chunkLength).fill(leaked), now);
  }
};
const timer = setInterval(() => {
  sweepNow();
  leakTick();
}, tickMs);
rt.onShutdown(() => clearInterval(timer));

await startAdminServer(rt, {
  extraMetrics: () => ({ cacheEntries: cache.size, cacheTtlMs: ttl(), profileBytes: rt.config.profileBytes, leakedMb: leaked }),
  routes: {
    'POST /cache/evict': () => ({ evicted: cache.clear() }),
    // A shortened TTL takes effect at once, not at the next tick: the runbook's fix is visible now.
    'POST /config': (body) => {
      Object.assign(rt.config, body);
      sweepNow();
      return rt.config;
    },
  },
});
const kafka = kafkaClient(rt);
const producer = await connectProducer(rt, kafka).catch((e: unknown) => rt.fail('producer did not connect', e));
await runConsumer(rt, kafka, (payload) =>
  processBatch(payload, {
    concurrency: 10_000,
    handle: fulfill,
    send: async (messages) => {
      await producer.send({ topic: env.topicOut, messages });
      rt.processed += messages.length;
    },
  }),
).catch((e: unknown) => rt.fail('consumer did not start', e));

function fulfill(message: KafkaMessage): Message[] {
  const input = parseJson(message);
  const problems = validateDecision(input);
  const record = (typeof input === 'object' && input !== null ? input : { raw: message.value?.toString() }) as Fulfilled;
  if (problems.length > 0) {
    rt.invalid++;
    return [jsonMessage(message.key?.toString() ?? '', { ...record, valid: false, problems })];
  }
  profileFor(record);
  return [jsonMessage(record.sku, { ...record, valid: true })];
}

function profileFor(d: Fulfilled): number[] {
  const key = `${d.sku}/${d.seq}`;
  const now = Date.now();
  const cached = cache.get(key, now, ttl());
  if (cached) return cached;
  // Plain JS numbers live on the V8 heap, so the heap limit (heapMb) is what a leak runs into.
  const profile = new Array<number>(Math.max(1, Math.ceil((Number(rt.config.profileBytes) || 0) / 8))).fill(d.seq);
  cache.set(key, profile, now);
  return profile;
}
