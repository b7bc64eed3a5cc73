import type { KafkaMessage } from 'kafkajs';
import { saveJsonAtomic } from '../decision-state.ts';
import { SeqTracker } from '../../integrity/seq-tracker.ts';
import { bitsOf, readSinkSnapshot, toSnapshot } from '../sink-state.ts';
import { startAdminServer } from './admin-server.ts';
import { kafkaClient, runConsumer } from './kafka.ts';
import { parseJson } from './ordered-pool.ts';
import { AgentRuntime, errorText, readEnv } from './runtime.ts';

/**
 * The integrity sink: which seqs arrived, how often, and how many were marked invalid. Its count
 * must survive its own restarts, so it checkpoints (state file first, then the group offsets):
 * after a crash it resumes from a committed offset its state already includes, and counts
 * exactly; anything it saw after the checkpoint is read again and counted once.
 */
const checkpointEveryMs = 300;

const env = readEnv();
const rt = new AgentRuntime(env);
rt.installSignalHandlers();
const saved = env.stateFile ? readSinkSnapshot(env.stateFile) : undefined;
const tracker = new SeqTracker(saved ? { bits: bitsOf(saved), received: saved.received } : undefined);
rt.invalid = saved?.invalid ?? 0;
rt.processed = tracker.received;
const nextOffsets = new Map<number, string>();
let dirty = false;

await startAdminServer(rt, {
  extraMetrics: () => ({
    received: tracker.received,
    distinct: tracker.distinct,
    duplicated: tracker.duplicated,
    maxSeq: tracker.maxSeq,
  }),
});
const consumer = await runConsumer(
  rt,
  kafkaClient(rt),
  async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      record(message);
      resolveOffset(message.offset);
      nextOffsets.set(batch.partition, String(Number(message.offset) + 1));
      dirty = true;
    }
    await heartbeat();
  },
  { autoCommit: false },
).catch((e: unknown) => rt.fail('consumer did not start', e));

let checkpointing = false;
const timer = setInterval(() => void checkpoint(), checkpointEveryMs);
// Registered after the consumer, so it runs before the consumer disconnects.
rt.onShutdown(async () => {
  clearInterval(timer);
  await checkpoint();
});

function record(message: KafkaMessage): void {
  const value = parseJson(message) as { seq?: unknown; valid?: unknown } | undefined;
  if (!value || value.valid !== true) rt.invalid++;
  if (value && typeof value.seq === 'number') tracker.add(value.seq);
  rt.processed = tracker.received;
}

async function checkpoint(): Promise<void> {
  if (!dirty || checkpointing) return;
  checkpointing = true;
  try {
    dirty = false;
    const offsets = [...nextOffsets].map(([partition, offset]) => ({ topic: env.topicIn, partition, offset }));
    if (env.stateFile) saveJsonAtomic(env.stateFile, toSnapshot(tracker, rt.invalid));
    await consumer.commitOffsets(offsets);
  } catch (e) {
    // Usually a rebalance took the partitions away; the new owner re-reads from the last commit.
    dirty = true;
    rt.log('warn', 'checkpoint commit failed', { error: errorText(e) });
  } finally {
    checkpointing = false;
  }
}
