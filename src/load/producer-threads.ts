import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Message } from 'kafkajs';
import { packageFile } from '../core/settings.ts';
import { fnv1a } from './event-template.ts';
import type { LoadProducer } from './generator.ts';

/**
 * Above this rate the load sends from worker threads. kafkajs encodes every record in JavaScript
 * on the thread that sends it: one thread tops out near 40k events/s on a quiet 2-core machine,
 * Kafka's own producer near three times that (npm run bench). The drills' rates (tens to
 * thousands a second) stay on the harness's thread, which costs them no thread's memory.
 */
export const threadedAbovePerSec = 5_000;

/** How many producer threads a rate needs on a machine: none at the drills' rates, one per core (2 to 4) beyond. */
export function producerThreadsFor(ratePerSec: number, cores = os.availableParallelism()): number {
  if (!(ratePerSec > threadedAbovePerSec)) return 0;
  return Math.min(4, Math.max(2, cores));
}

/**
 * Which thread sends each message: a key always to the same one, so its events share one connection
 * as they would from a single producer; keyless ones in even runs. (Order within a key is not
 * promised by either: with more than one send in flight kafkajs can reorder them.)
 */
export function threadOf(message: Message, index: number, count: number, threads: number): number {
  const { key } = message;
  if (key === null || key === undefined) return Math.floor((index * threads) / count);
  return fnv1a(typeof key === 'string' ? key : key.toString('latin1')) % threads;
}

interface Pending {
  resolve: () => void;
  reject: (e: Error) => void;
}

interface Reply {
  id?: number;
  error?: string;
  ready?: boolean;
  closed?: boolean;
}

/**
 * A load producer whose sends run on worker threads, each with its own kafkajs producer and
 * connection. A batch is split by key over the threads; it counts as sent when every part was
 * acknowledged, and as failed when any part failed, as a kafkajs send over several partitions
 * does. A thread that dies fails what it had in flight and every later send.
 */
export class ThreadedProducer implements LoadProducer {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private broken: string | undefined;

  private constructor(private readonly workers: Worker[]) {
    for (const worker of workers) {
      worker.on('message', (reply: Reply) => this.settle(reply));
      worker.on('error', (e) => this.fail(`a producer thread failed: ${e.message}`));
      worker.on('exit', (code) => this.fail(`a producer thread exited (code ${code})`));
    }
  }

  /** Starts `threads` producers and waits until each has connected; stops them all if one cannot. */
  static async start(args: { brokers: string[]; clientId: string; threads: number; signal?: AbortSignal }): Promise<ThreadedProducer> {
    const entry = packageFile('src', 'load', 'producer-thread.mjs');
    const workers = Array.from({ length: args.threads }, () => new Worker(entry, { workerData: { brokers: args.brokers, clientId: args.clientId } }));
    try {
      await Promise.all(workers.map((w) => connected(w, args.signal)));
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    return new ThreadedProducer(workers);
  }

  get threads(): number {
    return this.workers.length;
  }

  async send(record: { topic: string; messages: Message[] }): Promise<void> {
    if (this.broken) throw new Error(this.broken);
    const { messages } = record;
    const parts: Message[][] = this.workers.map(() => []);
    for (let i = 0; i < messages.length; i++) parts[threadOf(messages[i]!, i, messages.length, parts.length)]!.push(messages[i]!);
    const sends: Promise<void>[] = [];
    parts.forEach((part, t) => part.length > 0 && sends.push(this.sendOn(t, record.topic, part)));
    await Promise.all(sends);
  }

  /** Disconnects every producer (their last sends flushed), then ends the threads. */
  async close(): Promise<void> {
    const closing = this.workers.map((w) => closed(w));
    for (const w of this.workers) w.postMessage({ close: true });
    await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, 5_000).unref())]);
    this.broken ??= 'the producer threads were closed';
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private sendOn(thread: number, topic: string, messages: Message[]): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[thread]!.postMessage({ id, topic, messages });
    });
  }

  private settle(reply: Reply): void {
    if (reply.id === undefined) return;
    const waiting = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (reply.error !== undefined) waiting?.reject(new Error(reply.error));
    else waiting?.resolve();
  }

  private fail(why: string): void {
    this.broken ??= why;
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.reject(new Error(why));
    }
  }
}

function connected(worker: Worker, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (e?: Error) => {
      worker.off('message', onMessage).off('error', done).off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
      if (e) reject(e);
      else resolve();
    };
    const onMessage = (m: Reply) => (m.ready === undefined ? undefined : done(m.ready ? undefined : new Error(`a producer thread could not connect: ${m.error}`)));
    const onExit = (code: number) => done(new Error(`a producer thread exited (code ${code}) before it connected`));
    const onAbort = () => done(new Error('interrupted while the producer threads connected'));
    worker.on('message', onMessage).on('error', done).on('exit', onExit);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function closed(worker: Worker): Promise<void> {
  return new Promise<void>((resolve) => {
    const onMessage = (m: Reply) => {
      if (m.closed) {
        worker.off('message', onMessage);
        resolve();
      }
    };
    worker.on('message', onMessage);
    worker.once('exit', () => resolve());
  });
}
