import type { KafkaMessage, Message } from 'kafkajs';
import { asCheckedOrder, decide, emptyDecisionState, type DecisionState } from '../decision-logic.ts';
import { loadDecisionState, saveJsonAtomic } from '../decision-state.ts';
import { startAdminServer } from './admin-server.ts';
import { connectProducer, kafkaClient, runConsumer } from './kafka.ts';
import { jsonMessage, parseJson, processBatch } from './ordered-pool.ts';
import { AgentRuntime, readEnv } from './runtime.ts';

/**
 * The decision agent: per-SKU reservations kept in memory and persisted to STATE_FILE (at most
 * every 200 ms and on shutdown). On start it trusts the file: a corrupted one yields wrong
 * decisions until someone deletes it and replays the log. A file that is not a state at all
 * (truncated, garbage) makes it exit 1 at start: the supervisor restarts it, it fails again, and
 * the crash loop (restarts, decision lag) lasts until the file is deleted. GET /state answers the
 * in-memory state, which the drill compares with the state recomputed from the log.
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
  routes: { 'GET /state': () => state },
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
  const order = asCheckedOrder(parseJson(message));
  if (!order) {
    rt.invalid++;
    return [];
  }
  const decision = decide(state, order);
  dirty = true;
  return [jsonMessage(order.sku, decision)];
}
