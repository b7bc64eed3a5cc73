import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Admin, type IHeaders } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { localProvider } from '../../src/infra/local/index.ts';
import type { StartedInfra } from '../../src/infra/provider.ts';
import { EndTopicCheck, type IntegrityResult, type StampLocation } from '../../src/integrity/index.ts';
import { LoadGenerator, loadLimits, prepareLoad, seqOfStamp, ThreadedProducer, type LoadStatus, type StampPlacement } from '../../src/load/index.ts';
import { readGroupsOffsets } from '../../src/observe/offsets.ts';
import { until } from '../helpers/wait.ts';

/**
 * The harness's own load and end-of-pipeline check, around a fleet it did not write, on a real
 * broker. The "fleet" is a kafkajs pass-through in this test that forwards, drops or strips.
 */
const runTag = `li-${process.pid}-${Date.now().toString(36)}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-load-integrity-'));
const events = 1000;
let infra: StartedInfra | undefined;
let kafka: Kafka;
let admin: Admin | undefined;

beforeAll(async () => {
  infra = await localProvider.start({ settings: settingsFromEnv(), progress: () => undefined, workDir: work });
  kafka = new Kafka({ clientId: runTag, brokers: infra.kafka.bootstrapServers, logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
}, 180_000);

afterAll(async () => {
  await admin?.disconnect();
  await infra?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

type Behaviour = 'forward' | 'drop-every-10th' | 'strip-headers';

interface DrillCase {
  behaviour: Behaviour;
  match: StampLocation;
  stamp?: StampPlacement;
  /** Stop and start the load half way: numbering must continue. */
  restart?: boolean;
  /** Outputs of another drill already on the end topic. */
  foreign?: number;
}

async function drill(name: string, c: DrillCase): Promise<{ load: LoadStatus; result: IntegrityResult }> {
  const [input, output] = [`${runTag}-${name}-in`, `${runTag}-${name}-out`];
  await admin!.createTopics({ waitForLeaders: true, topics: [input, output].map((topic) => ({ topic, numPartitions: 3 })) });
  const loadProducer = kafka.producer();
  const agentProducer = kafka.producer();
  const agent = kafka.consumer({ groupId: `${runTag}-${name}-agent` });
  const prepared = await prepareLoad({ topic: input, ratePerSec: 500, runTag, value: { template: '{"order": {{seq}}, "region": "{{pick eu us ap}}"}' }, key: { template: 'o-{{seq}}' }, ...(c.stamp ? { stamp: c.stamp } : {}) });
  const load = new LoadGenerator(loadProducer, prepared, { maxEvents: events });
  const check = new EndTopicCheck(kafka, { topic: output, groupId: `${runTag}-${name}-end`, runTag, match: c.match, produced: load });
  try {
    await Promise.all([loadProducer.connect(), agentProducer.connect(), agent.connect()]);
    const seed = Array.from({ length: c.foreign ?? 0 }, (_, i) => ({ value: '{}', headers: { 'agentdrill-stamp': `other-drill:${i + 1}` } }));
    if (seed.length > 0) await agentProducer.send({ topic: output, messages: seed });
    await agent.subscribe({ topic: input, fromBeginning: true });
    await agent.run({
      eachMessage: async ({ message }) => {
        const seq = seqOfStamp(runTag, message.headers?.['agentdrill-stamp']?.toString());
        if (c.behaviour === 'drop-every-10th' && seq !== undefined && seq % 10 === 0) return;
        const headers: IHeaders = c.behaviour === 'strip-headers' ? {} : (message.headers ?? {});
        await agentProducer.send({ topic: output, messages: [{ key: message.key, value: message.value, headers }] });
      },
    });
    await check.start();
    const started = Date.now();
    load.start();
    if (c.restart) {
      await until(`${name}: half the load sent`, () => load.lastSeq >= events / 2, 60_000);
      await load.stop();
      load.start();
    }
    await until(`${name}: the load ended`, () => !load.running, 60_000);
    const status = await load.stop();
    const ms = Date.now() - started;
    const expected = (c.behaviour === 'drop-every-10th' ? status.produced - Math.floor(status.lastSeq / 10) : status.produced) + (c.foreign ?? 0);
    await until(`${name}: ${expected} outputs at the end`, () => check.counts().outputs >= expected, 60_000);
    const result = await check.finish({ drainTimeoutMs: 30_000 });
    console.log(`${name}: ${status.produced} produced in ${ms} ms (${Math.round((status.produced * 1000) / ms)}/s), integrity ${JSON.stringify(result)}`);
    return { load: status, result };
  } finally {
    // The load first (its sends need its producer), then every client even if one fails to disconnect.
    await load.stop({ graceMs: 5_000 });
    const closed = await Promise.allSettled([check.close(), agent.disconnect(), loadProducer.disconnect(), agentProducer.disconnect()]);
    for (const c of closed) if (c.status === 'rejected') console.warn(`${name}: cleanup: ${String(c.reason)}`);
  }
}

describe('load and integrity for a fleet the harness did not write (real Kafka)', () => {
  it('delivers every stamped event, numbering across a restart, ignoring another drill’s outputs', async () => {
    const { load, result } = await drill('forward', { behaviour: 'forward', match: { header: 'agentdrill-stamp' }, restart: true, foreign: 5 });
    expect(load).toMatchObject({ produced: events, lastSeq: events, errors: 0, pending: 0 });
    expect(result).toEqual({
      mode: 'stamped',
      produced: events,
      outputs: events + 5,
      delivered: events,
      lost: 0,
      duplicated: 0,
      unstamped: 0,
      foreign: 5,
      unacknowledged: 0,
      lostSample: [],
      cautions: [],
      readToEnd: true,
    });
  });

  it('counts exactly the events the agent dropped as lost', async () => {
    const { result } = await drill('drop', { behaviour: 'drop-every-10th', match: { header: 'agentdrill-stamp' } });
    expect(result).toMatchObject({ mode: 'stamped', produced: events, delivered: events - events / 10, lost: events / 10, duplicated: 0, lostSample: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] });
  });

  it('says counts-only, never zero loss, when the agent strips the headers the stamp rides in', async () => {
    const { result } = await drill('strip', { behaviour: 'strip-headers', match: { header: 'agentdrill-stamp' } });
    expect(result).toMatchObject({ mode: 'counts-only', produced: events, outputs: events, lost: null, delivered: null, unstamped: events });
    expect(result.mode === 'counts-only' && result.why).toContain('header "agentdrill-stamp"');
  });

  it('matches through the key or a JSON field when the agent strips headers', async () => {
    const key = await drill('strip-key', { behaviour: 'strip-headers', match: { key: true }, stamp: { key: true } });
    expect(key.result).toMatchObject({ mode: 'stamped', delivered: events, lost: 0 });
    const field = await drill('strip-field', { behaviour: 'strip-headers', match: { field: 'meta.drillSeq' }, stamp: { field: 'meta.drillSeq' } });
    expect(field.result).toMatchObject({ mode: 'stamped', delivered: events, lost: 0, invalid: 0 });
  });
});

describe('the load from producer threads (real Kafka)', () => {
  it('delivers every event once, each key on one partition, and refuses sends once closed', async () => {
    const topic = `${runTag}-threads`;
    const count = 20_000;
    await admin!.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 6 }] });
    const pool = await ThreadedProducer.start({ brokers: infra!.kafka.bootstrapServers, clientId: `${runTag}-threads`, threads: 2 });
    const prepared = await prepareLoad({ topic, ratePerSec: loadLimits.maxRatePerSec, runTag, key: { template: 'k-{{int 1 40}}' }, value: { template: '{"n": {{seq}}}' }, stamp: { field: 'meta.drillSeq' } });
    const load = new LoadGenerator(pool, prepared, { maxEvents: count, maxInFlight: 8, batchSize: 1000, tickMs: 5 });
    let status: LoadStatus;
    try {
      load.start();
      await until('the threaded load ended', () => !load.running, 120_000);
      status = await load.stop();
    } finally {
      await pool.close();
    }
    expect(status).toMatchObject({ produced: count, lastSeq: count, errors: 0, pending: 0 });
    await expect(pool.send({ topic, messages: [{ value: '{}' }] })).rejects.toThrow();

    const seen: { key: string; seq: number; partition: number }[] = [];
    const reader = kafka.consumer({ groupId: `${runTag}-threads-reader` });
    await reader.connect();
    try {
      await reader.subscribe({ topic, fromBeginning: true });
      await reader.run({
        eachMessage: async ({ message, partition }) => {
          seen.push({ partition, key: message.key!.toString(), seq: seqOfStamp(runTag, message.headers!['agentdrill-stamp']!.toString())! });
        },
      });
      await until(`${count} events read back`, () => seen.length >= count, 120_000);
    } finally {
      await reader.disconnect();
    }
    const seqs = seen.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    // A key goes to one thread, so it lands on one partition as it would from a single producer.
    const partitionsOf = new Map<string, Set<number>>();
    for (const { key, partition } of seen) partitionsOf.set(key, (partitionsOf.get(key) ?? new Set()).add(partition));
    expect(partitionsOf.size).toBe(40);
    expect([...partitionsOf.values()].filter((p) => p.size !== 1)).toEqual([]);
  });
});

describe("the sampler's offsets on the same broker", () => {
  it("reads a topic's watermarks once for every group on it; a group that never committed lags from the start", async () => {
    const topic = `${runTag}-fanout`;
    await admin!.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic, messages: [0, 1, 2].flatMap((partition) => Array.from({ length: 10 }, () => ({ partition, value: 'x' }))) });
    } finally {
      await producer.disconnect();
    }
    const [behind, fresh] = [`${runTag}-fanout-behind`, `${runTag}-fanout-fresh`];
    await admin!.setOffsets({ groupId: behind, topic, partitions: [{ partition: 0, offset: '10' }, { partition: 1, offset: '4' }] });
    let watermarkReads = 0;
    const counting: Admin = { ...admin!, fetchTopicOffsets: (t: string) => (watermarkReads++, admin!.fetchTopicOffsets(t)) };
    const [a, b] = await readGroupsOffsets(counting, [{ groupId: behind, topic }, { groupId: fresh, topic }]);
    expect(watermarkReads).toBe(1);
    expect(a).toMatchObject({ lag: 0 + 6 + 10, committed: 10 + 4 + 0 });
    expect(a!.partitions.map((p) => p.committed).sort()).toEqual([-1, 10, 4].sort());
    expect(b).toMatchObject({ lag: 30, committed: 0 });
  });
});
