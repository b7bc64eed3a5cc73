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
 */
const env = readEnv();
const rt = new AgentRuntime(env, { cacheTtlMs: 1000, profileBytes: 256 });
rt.installSignalHandlers();
const cache = new ProfileCache<number[]>();
const ttl = () => Math.max(0, Number(rt.config.cacheTtlMs) || 0);
const sweeper = setInterval(() => cache.sweep(Date.now(), ttl()), 250);
rt.onShutdown(() => clearInterval(sweeper));

await startAdminServer(rt, {
  extraMetrics: () => ({ cacheEntries: cache.size, cacheTtlMs: ttl(), profileBytes: rt.config.profileBytes }),
  routes: { 'POST /cache/evict': () => ({ evicted: cache.clear() }) },
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
