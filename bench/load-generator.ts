import { spawn } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { requireTool } from '../src/infra/local/host-tools.ts';
import { LoadGenerator, prepareLoad, producerThreadsFor, ThreadedProducer, type LoadProducer } from '../src/load/index.ts';
import { loadLimits } from '../src/load/load-spec.ts';
import { withLocalBroker } from './local-broker.ts';

export interface LoadGeneratorFigures {
  records: number;
  recordBytes: number;
  /** The harness's generator, unpaced (its highest allowed rate), stamped, acks=all, sending from the harness's thread (as at the drills' rates). */
  ours: Unpaced;
  /** The same from producer threads, as a load above threadedAbovePerSec sends. */
  threaded: Unpaced & { threads: number };
  /** org.apache.kafka.tools.ProducerPerformance from the cached jars, same broker, size and acks. */
  java: { perSec: number } | { notMeasured: string };
  /** Asked for 10k events/s for a few seconds: what it got. */
  paced: { askedPerSec: number; gotPerSec: number; seconds: number };
  /** CPU per event to build it (template, stamp in a JSON field and a header), no broker: steadier than a rate on a shared machine. */
  buildUsPerEvent: number;
}

interface Unpaced {
  perSec: number;
  produced: number;
  errors: number;
  cpuPercent: number;
}

const partitions = 6;
// A 300-byte JSON value once stamped: the template's filler makes up the difference.
const recordBytes = 300;

/** The load generator at the broker's pace, next to Kafka's own producer tool on the same broker. */
export async function benchLoadGenerator(args: { bootstrap: string[]; kafkaLibsDir: string; records?: number }): Promise<LoadGeneratorFigures> {
  const records = args.records ?? 200_000;
  const kafka = new Kafka({ clientId: 'agentdrill-bench-load', brokers: args.bootstrap, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const run = `bench-load-${process.pid}-${Date.now().toString(36)}`;
  const topics = { ours: `${run}-ours`, threaded: `${run}-threaded`, java: `${run}-java`, paced: `${run}-paced` };
  await admin.createTopics({ waitForLeaders: true, topics: Object.values(topics).map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) });
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const ours = await unpaced(producer, topics.ours, records);
    const threads = producerThreadsFor(loadLimits.maxRatePerSec);
    const pool = await ThreadedProducer.start({ brokers: args.bootstrap, clientId: `${run}-threads`, threads });
    const threaded = { ...(await unpaced(pool, topics.threaded, records).finally(() => pool.close())), threads };
    const java = await producerPerformance(args.kafkaLibsDir, args.bootstrap, topics.java, records).catch((e: unknown) => ({ notMeasured: e instanceof Error ? e.message : String(e) }));
    const paced = await pacedRun(producer, topics.paced, 10_000, 5_000);
    return { records, recordBytes, ours, threaded, java, paced, buildUsPerEvent: await buildCost(topics.ours, records) };
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
  }
}

async function loadOn(topic: string, ratePerSec: number) {
  const filler = 'x'.repeat(recordBytes - 110);
  return prepareLoad({
    topic,
    ratePerSec,
    runTag: 'bench',
    key: { template: 'order-{{seq}}' },
    value: { template: `{"orderId":"{{seq}}","sku":"sku-{{int 1 500}}","note":"${filler}"}` },
    stamp: { field: 'meta.drillSeq' },
  });
}

async function unpaced(producer: LoadProducer, topic: string, records: number): Promise<Unpaced> {
  const load = await loadOn(topic, loadLimits.maxRatePerSec);
  // Unpaced: the bucket never throttles below what the broker acknowledges; more sends in flight than a drill uses.
  const generator = new LoadGenerator(producer, { ...load, ratePerSec: Number.MAX_SAFE_INTEGER }, { maxEvents: records, maxInFlight: 16, batchSize: 1000, tickMs: 5 });
  const cpu = process.cpuUsage();
  const t = performance.now();
  generator.start();
  while (generator.running) await new Promise((r) => setTimeout(r, 20));
  const status = await generator.stop();
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  return { perSec: status.produced / seconds, produced: status.produced, errors: status.errors, cpuPercent: ((used.user + used.system) / 1e6 / seconds) * 100 };
}

async function buildCost(topic: string, records: number): Promise<number> {
  const load = await loadOn(topic, loadLimits.maxRatePerSec);
  let bytes = 0;
  const cpu = process.cpuUsage();
  for (let seq = 1; seq <= records; seq++) bytes += String(load.message(seq, Date.now()).value).length;
  const used = process.cpuUsage(cpu);
  if (bytes === 0) throw new Error('built no bytes');
  return (used.user + used.system) / records;
}

async function pacedRun(producer: Producer, topic: string, askedPerSec: number, ms: number) {
  const generator = new LoadGenerator(producer, await loadOn(topic, askedPerSec));
  const t = performance.now();
  generator.start();
  await new Promise((r) => setTimeout(r, ms));
  const status = await generator.stop();
  const seconds = (performance.now() - t) / 1000;
  return { askedPerSec, gotPerSec: status.produced / seconds, seconds };
}

/** Kafka's own tool, from the jars the local provider already cached; its last line is the total. */
function producerPerformance(libsDir: string, bootstrap: string[], topic: string, records: number): Promise<{ perSec: number }> {
  const java = requireTool('java', 'run ProducerPerformance');
  const argv = [
    '-cp', path.join(libsDir, '*'),
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic', topic, '--num-records', String(records), '--record-size', String(recordBytes), '--throughput', '-1',
    '--producer-props', `bootstrap.servers=${bootstrap.join(',')}`, 'acks=all',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(java, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const total = [...out.matchAll(/(\d+) records sent, ([\d.]+) records\/sec/g)].at(-1);
      if (code === 0 && total) resolve({ perSec: Number(total[2]) });
      else reject(new Error(`ProducerPerformance exited ${code}: ${out.trim().split('\n').slice(-2).join(' ')}`));
    });
  });
}

/** On a broker of its own, stopped afterwards. */
export function benchLoadGeneratorLocal(): Promise<LoadGeneratorFigures> {
  return withLocalBroker('agentdrill-bench-load-', (broker) => benchLoadGenerator(broker));
}

export function formatLoadGeneratorBench(f: LoadGeneratorFigures): string[] {
  const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')} events/s`;
  const java = 'perSec' in f.java ? rate(f.java.perSec) : `not measured (${f.java.notMeasured})`;
  const best = Math.max(f.ours.perSec, f.threaded.perSec);
  const ratio = 'perSec' in f.java ? `${(best / f.java.perSec).toFixed(2)} × (goal ≥ 0.8 ×; the faster of the two above)` : '—';
  return [
    `  agentdrill's generator, unpaced, stamped        ${rate(f.ours.perSec)} (${f.ours.produced} acknowledged, ${f.ours.errors} failed sends, ${f.ours.cpuPercent.toFixed(0)}% of one core)`,
    `  ${`the same from ${f.threaded.threads} producer threads`.padEnd(48)}${rate(f.threaded.perSec)} (${f.threaded.produced} acknowledged, ${f.threaded.errors} failed sends, ${f.threaded.cpuPercent.toFixed(0)}% of one core)`,
    `  ProducerPerformance (Kafka's own tool)          ${java}`,
    `  ratio                                           ${ratio}`,
    `  asked for ${rate(f.paced.askedPerSec)} for ${f.paced.seconds.toFixed(1)} s      got ${rate(f.paced.gotPerSec)}`,
    `  building one event (template, stamp in field and header)   ${f.buildUsPerEvent.toFixed(1)} µs of CPU`,
  ];
}
