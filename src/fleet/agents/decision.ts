import type { KafkaMessage, Message } from 'kafkajs';
import { decide, emptyDecisionState, loadDecisionState, saveJsonAtomic, type DecisionState } from '../decision-state.ts';
import type { CheckedOrder } from '../messages.ts';
import { startAdminServer } from './admin-server.ts';
import { connectProducer, kafkaClient, runConsumer } from './kafka.ts';
import { jsonMessage, parseJson, processBatch } from './ordered-pool.ts';
import { AgentRuntime, readEnv } from './runtime.ts';

/**
 * The decision agent: per-SKU reservations kept in memory and persisted to STATE_FILE (at most
 * every 200 ms and on shutdown). On start it trusts the file: a corrupted one yields wrong
 * decisions until someone deletes it and replays the log.
 */
const persistEveryMs = 200;

const env = readEnv();
const rt = new AgentRuntime(env);
rt.installSignalHandlers();
let state: DecisionState;
try {
  state = (env.stateFile && loadDecisionState(env.stateFile)) || emptyDecisionState();
} catch (e) {
  rt.fail(`state file ${env.stateFile} is unreadable`, e);
}
let dirty = false;
const persist = () => {
  if (!dirty || !env.stateFile) return;
  saveJsonAtomic(env.stateFile, state);
  dirty = false;
};
const timer = setInterval(persist, persistEveryMs);
rt.onShutdown(() => {
  clearInterval(timer);
  persist();
});

await startAdminServer(rt, {
  extraMetrics: () => ({ stateVersion: state.stateVersion, lastSeq: state.lastSeq, skus: Object.keys(state.skus).length }),
});
const kafka = kafkaClient(rt);
const producer = await connectProducer(rt, kafka).catch((e: unknown) => rt.fail('producer did not connect', e));
await runConsumer(rt, kafka, (payload) =>
  processBatch(payload, {
    // Decisions are synchronous; a large "concurrency" just means "the whole batch at once", in order.
    concurrency: 10_000,
    handle: apply,
    send: async (messages) => {
      await producer.send({ topic: env.topicOut, messages });
      rt.processed += messages.length;
    },
  }),
).catch((e: unknown) => rt.fail('consumer did not start', e));

function apply(message: KafkaMessage): Message[] {
  const order = parseJson(message) as CheckedOrder | undefined;
  if (!order || typeof order.sku !== 'string' || typeof order.qty !== 'number' || typeof order.available !== 'number') {
    rt.invalid++;
    return [];
  }
  const decision = decide(state, order);
  dirty = true;
  return [jsonMessage(order.sku, decision)];
}
