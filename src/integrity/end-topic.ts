import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { systemClock, type Clock } from '../core/clock.ts';
import { judgeIntegrity, type IntegrityResult, type ProducedStamps } from './judge.ts';
import { checkStampLocation, describeStampLocation, extractStamp, type StampLocation } from './stamp-location.ts';
import { StampTally, type TallyCounts } from './tally.ts';

export interface EndTopicOptions {
  /** The real name of the topic where the team's pipeline ends. */
  topic: string;
  /** The check's own group, new to this drill: it never commits, so it always starts at the earliest offset. */
  groupId: string;
  runTag: string;
  match: StampLocation;
  /** The harness's load (LoadGenerator), read live: which stamps exist and which were acknowledged. */
  produced: ProducedStamps;
  clock?: Clock;
}

export interface FinishOptions {
  /** How long to wait for the reader to reach the end offsets taken now. */
  drainTimeoutMs?: number;
  signal?: AbortSignal;
}

const pollMs = 100;
const fetchWaitMs = 250;

/**
 * The end-of-pipeline check for any fleet. Start it before the load; call finish() after the
 * drain: it reads up to the end offsets at that moment (bounded), stops, and judges.
 */
export class EndTopicCheck {
  private readonly tally: StampTally;
  private readonly consumer: Consumer;
  private readonly clock: Clock;
  /** Next offset to count per partition: records below it were counted already, whatever the consumer re-fetches. */
  private readonly positions = new Map<number, number>();
  private started: Promise<void> | undefined;
  private closed: Promise<void> | undefined;
  /** Set when kafkajs gave up on the consumer: nothing more will be read. */
  private stoppedBy: string | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: EndTopicOptions,
  ) {
    checkStampLocation(options.match);
    this.clock = options.clock ?? systemClock;
    this.tally = new StampTally(options.runTag, () => options.produced.lastSeq);
    // A short fetch wait: disconnect() waits for the fetch in flight, and at the drain's end, with
    // no new records, kafkajs's default 5 s wait was the whole of the integrity phase.
    this.consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: fetchWaitMs });
    // A crash kafkajs restarts from costs nothing (positions stop re-counting); one it does not, ends the reading.
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      if (!e.payload.restart) this.stoppedBy ??= e.payload.error.message;
    });
  }

  /** Resolves once the consumer runs (not yet joined: it reads from the earliest offset whenever it does). */
  start(): Promise<void> {
    this.started ??= this.run();
    return this.started;
  }

  counts(): TallyCounts {
    return this.tally.snapshot();
  }

  async finish(options: FinishOptions = {}): Promise<IntegrityResult> {
    if (!this.started) throw new Error('EndTopicCheck.finish() before start()');
    await this.started;
    let readToEnd = false;
    try {
      readToEnd = await this.readToEnd(options.drainTimeoutMs ?? 30_000, options.signal);
    } finally {
      await this.close();
    }
    const result = judgeIntegrity({
      produced: this.options.produced,
      counts: this.tally.snapshot(),
      seen: this.tally.seen,
      where: describeStampLocation(this.options.match),
      withField: 'field' in this.options.match,
      readToEnd,
    });
    if (result.mode === 'stamped' && this.stoppedBy !== undefined) result.cautions.push(`the end-topic reader stopped early: ${this.stoppedBy}`);
    return result;
  }

  /** Idempotent; for every path that ends without finish(). */
  close(): Promise<void> {
    // A consumer that cannot say goodbye (broker gone) has nothing more to give the result.
    this.closed ??= this.consumer.disconnect().catch(() => undefined);
    return this.closed;
  }

  private async run(): Promise<void> {
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
      await this.consumer.run({ autoCommit: false, eachBatch: (payload) => this.onBatch(payload) });
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  private async onBatch({ batch, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { partition } = batch;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      const offset = Number(message.offset);
      if (offset < (this.positions.get(partition) ?? 0)) continue;
      this.tally.record(extractStamp(message, this.options.match));
      this.positions.set(partition, offset + 1);
    }
    // lastOffset() also covers records kafkajs filtered out (transaction markers), which never arrive.
    const after = Number(batch.lastOffset()) + 1;
    if (after > (this.positions.get(partition) ?? 0)) this.positions.set(partition, after);
    await heartbeat();
  }

  /** Waits, at most `timeoutMs`, until every partition is counted up to the end offsets of this moment. */
  private async readToEnd(timeoutMs: number, signal: AbortSignal | undefined): Promise<boolean> {
    const ends = await this.endOffsets();
    const done = () => ends.every((p) => (this.positions.get(p.partition) ?? p.low) >= p.high);
    const deadline = this.clock.now() + timeoutMs;
    while (!done() && this.clock.now() < deadline && !signal?.aborted && this.stoppedBy === undefined) await this.clock.sleep(pollMs, signal);
    return done();
  }

  private async endOffsets(): Promise<{ partition: number; low: number; high: number }[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(this.options.topic);
      return offsets.map((p) => ({ partition: p.partition, low: Number(p.low), high: Number(p.high) }));
    } finally {
      await admin.disconnect();
    }
  }
}
