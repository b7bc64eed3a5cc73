import type { Message } from 'kafkajs';
import { systemClock, type Clock } from '../core/clock.ts';
import { SeqTracker } from '../integrity/seq-tracker.ts';
import { newBucket, takeTokens } from './token-bucket.ts';
import type { PreparedLoad } from './prepare.ts';

/**
 * Only `send` is used: a kafkajs producer, the producer threads (producer-threads.ts) or a test's
 * fake. The caller connects and disconnects it.
 */
export interface LoadProducer {
  send(record: { topic: string; messages: Message[] }): Promise<unknown>;
}

export interface LoadOptions {
  clock?: Clock;
  /** Aborting ends the load as stop() does; stop() still collects the figures. */
  signal?: AbortSignal;
  /** Sends awaiting the broker at once. When all are out the load waits (and falls behind) instead of queueing without end. */
  maxInFlight?: number;
  batchSize?: number;
  tickMs?: number;
  /** The last seq an earlier generator of this drill used: numbering continues after it. */
  resumeAfterSeq?: number;
  /** Hand out at most this many seqs, then stop by itself. */
  maxEvents?: number;
  onProgress?: (status: LoadStatus) => void;
  progressEveryMs?: number;
}

export interface LoadStatus {
  /** Events the broker acknowledged: the only ones that count as produced. */
  produced: number;
  /** The highest seq handed to a send. The next event gets lastSeq + 1, after a restart too. */
  lastSeq: number;
  /** Sends the producer gave up on; their events are not produced and their seqs are never reused. */
  errors: number;
  /** Events in those sends. */
  unacknowledged: number;
  /** Events in sends still awaiting an answer (only after stop's grace ran out). */
  pending: number;
  lastError?: string;
  /** Why the load ended by itself (an event could not be built). */
  failure?: string;
}

const defaults = { maxInFlight: 8, batchSize: 500, tickMs: 50, progressEveryMs: 1000, graceMs: 30_000 };

/**
 * The harness's producer for any fleet: stamped events at the planned rate, paced by the token
 * bucket. Batches go out without waiting for each other, up to `maxInFlight`, so one slow ack
 * does not stall the rate. A failed send is not retried here (kafkajs already retried it): sending
 * the same seqs again could double them at the end of the pipeline, which would be blamed on the
 * fleet. Invariant: lastSeq - resumeAfterSeq = produced + unacknowledged + pending.
 */
export class LoadGenerator {
  private readonly acked = new SeqTracker();
  private readonly sends = new Set<Promise<void>>();
  private readonly state: LoadStatus;
  private readonly clock: Clock;
  private readonly first: number;
  private loop: Promise<void> | undefined;
  private wake: AbortController | undefined;
  private active = false;

  constructor(
    private readonly producer: LoadProducer,
    private readonly load: PreparedLoad,
    private readonly options: LoadOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.first = options.resumeAfterSeq ?? 0;
    this.state = { produced: 0, lastSeq: this.first, errors: 0, unacknowledged: 0, pending: 0 };
  }

  get produced(): number {
    return this.state.produced;
  }

  get lastSeq(): number {
    return this.state.lastSeq;
  }

  /** Whether the broker acknowledged the event with this seq (what the integrity check counts lost against). */
  isProduced(seq: number): boolean {
    return Number.isSafeInteger(seq) && this.acked.has(seq);
  }

  status(): LoadStatus {
    return { ...this.state };
  }

  /** False once the load ended, by stop(), its signal, maxEvents or a failure; stop() still collects the figures. */
  get running(): boolean {
    return this.active;
  }

  /** Starts (or, after stop, resumes with the next seq). Does nothing while running, once aborted or failed. */
  start(): void {
    if (this.loop || this.options.signal?.aborted || this.state.failure) return;
    this.wake = new AbortController();
    const signals = [this.wake.signal, ...(this.options.signal ? [this.options.signal] : [])];
    this.active = true;
    this.loop = this.run(AbortSignal.any(signals));
  }

  /** Ends the load and waits, at most `graceMs`, for the sends still out. */
  async stop(options: { graceMs?: number } = {}): Promise<LoadStatus> {
    this.wake?.abort();
    await this.loop;
    this.loop = undefined;
    await this.settle(options.graceMs ?? defaults.graceMs);
    return this.status();
  }

  // Ends when stopped, aborted, failed or out of events; each is checked every tick.
  private async run(wake: AbortSignal): Promise<void> {
    const { clock, load } = this;
    const tickMs = this.options.tickMs ?? defaults.tickMs;
    const maxInFlight = this.options.maxInFlight ?? defaults.maxInFlight;
    const batchSize = this.options.batchSize ?? defaults.batchSize;
    let bucket = newBucket(clock.now());
    let reportedAt = clock.now();
    while (!wake.aborted && !this.state.failure && this.left() > 0) {
      const room = Math.min((maxInFlight - this.sends.size) * batchSize, this.left());
      const next = takeTokens(bucket, clock.now(), load.ratePerSec, Math.max(0, room));
      bucket = next.bucket;
      for (let out = 0; out < next.take && !this.state.failure; out += batchSize) this.sendBatch(Math.min(batchSize, next.take - out));
      if (clock.now() - reportedAt >= (this.options.progressEveryMs ?? defaults.progressEveryMs)) {
        this.report();
        reportedAt = clock.now();
      }
      await clock.sleep(tickMs, wake);
    }
    this.active = false;
    this.report();
  }

  private left(): number {
    const max = this.options.maxEvents;
    return max === undefined ? Infinity : max - (this.state.lastSeq - this.first);
  }

  private sendBatch(count: number): void {
    const first = this.state.lastSeq + 1;
    const now = this.clock.now();
    let messages: Message[];
    try {
      messages = Array.from({ length: count }, (_, i) => this.load.message(first + i, now));
    } catch (e) {
      // Seqs are handed out only once the whole batch is built, so the invariant still holds.
      this.state.failure = errorText(e);
      return;
    }
    this.state.lastSeq += count;
    this.state.pending += count;
    const settled: Promise<void> = this.deliver(first, messages).then(() => {
      this.sends.delete(settled);
    });
    this.sends.add(settled);
  }

  /** Never rejects: the outcome goes into the counts. */
  private async deliver(first: number, messages: Message[]): Promise<void> {
    const count = messages.length;
    try {
      await this.producer.send({ topic: this.load.topic, messages });
      for (let seq = first; seq < first + count; seq++) this.acked.add(seq);
      this.state.produced += count;
    } catch (e) {
      this.state.errors++;
      this.state.unacknowledged += count;
      this.state.lastError = errorText(e);
    } finally {
      this.state.pending -= count;
    }
  }

  private async settle(graceMs: number): Promise<void> {
    if (this.sends.size === 0) return;
    const timer = new AbortController();
    const signals = [timer.signal, ...(this.options.signal ? [this.options.signal] : [])];
    try {
      await Promise.race([Promise.all([...this.sends]), this.clock.sleep(graceMs, AbortSignal.any(signals))]);
    } finally {
      timer.abort();
    }
  }

  private report(): void {
    try {
      this.options.onProgress?.(this.status());
    } catch {
      // A progress printer that throws must not end the drill's load.
    }
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
