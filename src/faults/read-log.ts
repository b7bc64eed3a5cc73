import { Kafka, logLevel, type Admin } from 'kafkajs';
import { AgentdrillError } from '../core/errors.ts';

/**
 * Reads a topic from the beginning up to its current end with a throwaway consumer group, as an
 * auditor would, and answers the JSON values per partition in log order. The brokers come from
 * the drill's admin client (describeCluster), so a fault needs nothing beyond its context.
 * Bounded by `timeoutMs`: a log that cannot be read in time is an error, never a partial answer.
 */
export async function readTopicFromStart(admin: Admin, topic: string, timeoutMs = 30_000): Promise<unknown[][]> {
  const { brokers } = await admin.describeCluster();
  const watermarks = await admin.fetchTopicOffsets(topic);
  const ends = new Map(watermarks.map((w) => [w.partition, Number(w.high)]));
  const perPartition: unknown[][] = watermarks.map(() => []);
  const pending = new Set(watermarks.filter((w) => Number(w.high) > Number(w.low)).map((w) => w.partition));
  if (pending.size === 0) return perPartition;

  const kafka = new Kafka({ clientId: 'agentdrill-log-reader', brokers: brokers.map((b) => `${b.host}:${b.port}`), logLevel: logLevel.NOTHING });
  const groupId = `agentdrill-log-reader-${topic}-${Date.now()}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 1000, maxWaitTimeInMs: 200 });
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const end = ends.get(batch.partition) ?? 0;
        for (const m of batch.messages) {
          if (Number(m.offset) >= end) break;
          perPartition[batch.partition]!.push(parse(m.value));
          if (Number(m.offset) + 1 >= end) pending.delete(batch.partition);
        }
        if (pending.size === 0) done();
        return Promise.resolve();
      },
    });
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    if ((await Promise.race([finished, timedOut])) === 'timeout') {
      throw new AgentdrillError('FAULT_FAILED', `could not read ${topic} to its end within ${timeoutMs} ms`, {
        hint: `partitions not read to the end: ${[...pending].join(', ')}`,
      });
    }
    return perPartition;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    // The reader's group is ours alone; leaving it behind would only clutter the broker.
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}

function parse(value: Buffer | null): unknown {
  try {
    return JSON.parse(value?.toString() ?? '');
  } catch {
    return undefined;
  }
}
