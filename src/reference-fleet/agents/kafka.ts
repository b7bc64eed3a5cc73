import { Kafka, logLevel, Partitioners, type Consumer, type EachBatchPayload, type LogEntry, type Producer } from 'kafkajs';
import { errorText, type AgentRuntime } from './runtime.ts';

/** kafkajs logs as JSON lines on stderr (the per-instance log file), errors only. */
export function kafkaClient(rt: AgentRuntime): Kafka {
  const logCreator = () => (entry: LogEntry) => {
    const { message, ...rest } = entry.log;
    process.stderr.write(
      `${JSON.stringify({ at: new Date().toISOString(), level: entry.label.toLowerCase(), id: rt.env.id, namespace: entry.namespace, message, ...rest })}\n`,
    );
  };
  return new Kafka({
    clientId: rt.env.id,
    brokers: rt.env.brokers,
    logLevel: logLevel.ERROR,
    logCreator,
    retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5000 },
  });
}

export async function connectProducer(rt: AgentRuntime, kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  rt.onShutdown(() => producer.disconnect());
  return producer;
}

/**
 * A group consumer with the timings the drills rely on: a SIGKILLed member is noticed after
 * its 10 s session (Kafka's default before 3.0) and the group settles a few seconds later; a
 * short fetch wait keeps rejoins quick. The session is what makes a killed consumer visible:
 * its partitions go unread until it expires, whether or not its replacement joins first (a
 * container restart can take 5 s on a busy machine, and with a 6 s session the lag then never
 * reached the runbook's alert).
 * Healthy once it has joined the group.
 */
export async function runConsumer(
  rt: AgentRuntime,
  kafka: Kafka,
  eachBatch: (payload: EachBatchPayload) => Promise<void>,
  options: { autoCommit?: boolean } = {},
): Promise<Consumer> {
  const consumer = kafka.consumer({
    groupId: rt.env.groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 500,
    retry: { retries: 30, initialRetryTime: 300, maxRetryTime: 5000 },
  });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    rt.healthy = true;
  });
  consumer.on(consumer.events.CRASH, (event) => {
    rt.log('error', 'consumer crashed', { error: errorText(event.payload.error), restart: event.payload.restart });
    // kafkajs gave up: exit so the supervisor restarts the whole process.
    if (!event.payload.restart) void rt.shutdown('consumer crashed', 1);
  });
  await consumer.connect();
  rt.onShutdown(() => consumer.disconnect());
  await consumer.subscribe({ topic: rt.env.topicIn, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    autoCommit: options.autoCommit ?? true,
    autoCommitInterval: 500,
    eachBatch,
  });
  return consumer;
}
