import type { EachBatchPayload, KafkaMessage, Message } from 'kafkajs';

export interface PoolOptions {
  /** Messages handled at once; outputs still leave in input order. */
  concurrency: number;
  /** Outputs for one input. `shouldStop` turns true when the batch is abandoned (rebalance, shutdown). */
  handle: (message: KafkaMessage, shouldStop: () => boolean) => Promise<Message[]> | Message[];
  send: (messages: Message[]) => Promise<void>;
}

const maxChunk = 200;

/**
 * Processes one kafkajs batch with bounded concurrency and at-least-once delivery: outputs of the
 * completed prefix are produced in input order, and only then is the input offset resolved, so
 * a crash re-processes but never skips. Heartbeats keep flowing while a slow call is awaited.
 */
export async function processBatch(payload: EachBatchPayload, options: PoolOptions): Promise<void> {
  const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
  const messages = batch.messages;
  const results: (Message[] | undefined)[] = new Array<Message[] | undefined>(messages.length);
  const settled: Promise<void>[] = [];
  let abandoned = false;
  const shouldStop = () => abandoned || !isRunning() || isStale();
  let started = 0;
  let inFlight = 0;

  const launch = (): void => {
    while (!shouldStop() && started < messages.length && inFlight < options.concurrency) {
      const i = started++;
      inFlight++;
      settled[i] = Promise.resolve()
        .then(() => options.handle(messages[i]!, shouldStop))
        .then((out) => {
          results[i] = out;
        })
        .finally(() => {
          inFlight--;
          launch();
        });
      // Abandoned handlers may reject after we stopped awaiting them; that is expected.
      settled[i]!.catch(() => undefined);
    }
  };

  let pending: Message[] = [];
  let lastOffset: string | undefined;
  const flush = async () => {
    if (pending.length > 0) await options.send(pending);
    pending = [];
    if (lastOffset !== undefined) resolveOffset(lastOffset);
    lastOffset = undefined;
    await heartbeat();
    await commitOffsetsIfNecessary();
  };

  try {
    launch();
    for (let i = 0; i < messages.length; i++) {
      if (shouldStop()) break;
      try {
        await awaitWithHeartbeat(settled[i]!, heartbeat);
      } catch (e) {
        // Abandoned mid-call (rebalance, shutdown): flush the completed prefix and let go quietly.
        if (shouldStop()) break;
        throw e;
      }
      pending.push(...results[i]!);
      lastOffset = messages[i]!.offset;
      const nextReady = results[i + 1] !== undefined;
      if (!nextReady || pending.length >= maxChunk) await flush();
    }
    await flush();
  } finally {
    abandoned = true;
  }
}

async function awaitWithHeartbeat(p: Promise<void>, heartbeat: () => Promise<void>): Promise<void> {
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const tick = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 1000)));
    const done = await Promise.race([p.then(() => true as const), tick]);
    clearTimeout(timer);
    if (done) return;
    await heartbeat();
  }
}

export function jsonMessage(key: string, value: unknown): Message {
  return { key, value: JSON.stringify(value) };
}

export function parseJson(message: KafkaMessage): unknown {
  try {
    return JSON.parse(message.value?.toString() ?? '');
  } catch {
    return undefined;
  }
}
