import http from 'node:http';
import type { KafkaMessage, Message } from 'kafkajs';
import type { CheckedOrder, Order } from '../messages.ts';
import { startAdminServer } from './admin-server.ts';
import { connectProducer, kafkaClient, runConsumer } from './kafka.ts';
import { jsonMessage, parseJson, processBatch } from './ordered-pool.ts';
import { AgentRuntime, errorText, readEnv } from './runtime.ts';

/**
 * The inventory agent: one call to the inventory API per order, at most CONCURRENCY in flight.
 * A slow API therefore caps its throughput at concurrency / latency: the backlog drill's shape.
 * Failed calls are retried, never dropped.
 */
const env = readEnv();
const rt = new AgentRuntime(env, { concurrency: env.concurrency, timeoutMs: 5000 });
rt.installSignalHandlers();
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let apiErrors = 0;
let inFlight = 0;

await startAdminServer(rt, { extraMetrics: () => ({ apiErrors, inFlight, concurrency: rt.config.concurrency }) });
const kafka = kafkaClient(rt);
const producer = await connectProducer(rt, kafka).catch((e: unknown) => rt.fail('producer did not connect', e));
await runConsumer(rt, kafka, (payload) =>
  processBatch(payload, {
    concurrency: Math.max(1, Number(rt.config.concurrency) || 1),
    handle: check,
    send: async (messages) => {
      await producer.send({ topic: env.topicOut, messages });
      rt.processed += messages.length;
    },
  }),
).catch((e: unknown) => rt.fail('consumer did not start', e));

async function check(message: KafkaMessage, shouldStop: () => boolean): Promise<Message[]> {
  const order = parseJson(message) as Order | undefined;
  if (!order || typeof order.sku !== 'string') {
    rt.invalid++;
    return [];
  }
  for (let attempt = 0; ; attempt++) {
    if (shouldStop()) throw new Error('batch abandoned');
    try {
      inFlight++;
      const available = await fetchAvailable(order.sku);
      const out: CheckedOrder = { ...order, available };
      return [jsonMessage(order.sku, out)];
    } catch (e) {
      apiErrors++;
      if (attempt % 20 === 0) rt.log('warn', 'inventory API call failed, retrying', { error: errorText(e), attempt });
      await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
    } finally {
      inFlight--;
    }
  }
}

function fetchAvailable(sku: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${env.inventoryApiUrl}/inventory/${encodeURIComponent(sku)}`, { agent }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
        try {
          const available = (JSON.parse(body) as { available?: unknown }).available;
          if (typeof available !== 'number') return reject(new Error('no "available" in the answer'));
          resolve(available);
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
      res.on('error', reject);
    });
    req.setTimeout(Number(rt.config.timeoutMs) || 5000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}
