import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import { readGroupsOffsets } from '../src/observe/offsets.ts';
import { withLocalBroker } from './local-broker.ts';

/**
 * What one sample costs the broker side as a fleet grows: the sampler's own calls (per group its
 * offsets, then one describeGroups for all) timed against a real broker whose groups have real
 * members, at 6 and 50 members over 6, 50 and 200 partitions per topic. Four topics and four
 * groups, as the order pipeline has. Members are kafkajs consumers in this process that join and
 * idle, so the broker holds the group state a fleet of that size would give it.
 */
export interface SampleCostRow {
  members: number;
  partitions: number;
  samples: number;
  /** Samples a transient broker error cost (the sampler loses them the same way). */
  failed: number;
  medianMs: number;
  p95Ms: number;
  /** This process's CPU for the sample calls alone, per sample. */
  cpuMsPerSample: number;
}

const groups = 4;
const samplesPerRow = 40;
const intervalMs = 250;

export function benchSampleCostLocal(): Promise<SampleCostRow[]> {
  return withLocalBroker('agentdrill-bench-scale-', async ({ bootstrap }) => {
    const rows: SampleCostRow[] = [];
    for (const partitions of [6, 50, 200]) {
      for (const members of [6, 50]) rows.push(await measureRow(bootstrap, partitions, members));
    }
    return rows;
  });
}

async function measureRow(bootstrap: string[], partitions: number, members: number): Promise<SampleCostRow> {
  const run = `bench-scale-${partitions}p-${members}m-${Date.now().toString(36)}`;
  const client = new Kafka({ clientId: run, brokers: bootstrap, logLevel: logLevel.NOTHING });
  const admin = client.admin();
  await admin.connect();
  const topics = Array.from({ length: groups }, (_, i) => `${run}-t${i}`);
  const groupIds = topics.map((t) => `${t}-group`);
  const consumers: Consumer[] = [];
  try {
    // kafkajs's waitForLeaders gives up when a KRaft broker answers "unknown topic" for a moment
    // after creating it; wait for every partition's leader here instead.
    await admin.createTopics({ waitForLeaders: false, topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) });
    await leadersElected(admin, topics, partitions);
    // Members spread over the groups as a fleet's instances are over its agents.
    for (let m = 0; m < members; m++) {
      const g = m % groups;
      const consumer = client.consumer({ groupId: groupIds[g]!, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
      await consumer.connect();
      await consumer.subscribe({ topic: topics[g]!, fromBeginning: true });
      consumers.push(consumer);
    }
    await Promise.all(consumers.map((c) => c.run({ eachMessage: async () => undefined })));
    await settle(admin, groupIds, members);
    return await timeSamples(admin, groupIds, topics, partitions, members);
  } finally {
    await Promise.allSettled(consumers.map((c) => c.disconnect()));
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
}

async function leadersElected(admin: Admin, topics: string[], partitions: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ready = await admin
      .fetchTopicMetadata({ topics })
      .then((m) => m.topics.every((t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0)))
      .catch(() => false);
    if (ready) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`bench: the ${topics.length} topics of ${partitions} partitions had no leaders after 60 s`);
}

/** Until every group is Stable with all its members, bounded: the figures are of a settled fleet. */
async function settle(admin: Admin, groupIds: string[], members: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const { groups: described } = await admin.describeGroups(groupIds);
    const joined = described.reduce((n, g) => n + (g.state === 'Stable' ? g.members.length : 0), 0);
    if (joined === members) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function timeSamples(admin: Admin, groupIds: string[], topics: string[], partitions: number, members: number): Promise<SampleCostRow> {
  const walls: number[] = [];
  let failed = 0;
  let cpuMicros = 0;
  for (let i = 0; i < samplesPerRow; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    // The sampler's broker calls, as src/observe/sampler.ts makes them.
    // A transient broker error costs the sampler one sample, as it does here: counted, not timed.
    const ok = await Promise.all([readGroupsOffsets(admin, groupIds.map((groupId, g) => ({ groupId, topic: topics[g]! }))), admin.describeGroups(groupIds)]).then(
      () => true,
      () => false,
    );
    if (!ok) {
      failed++;
      await new Promise((r) => setTimeout(r, intervalMs));
      continue;
    }
    walls.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuMicros += used.user + used.system;
    await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - walls.at(-1)!)));
  }
  const sorted = [...walls].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { members, partitions, samples: walls.length, failed, medianMs: at(0.5), p95Ms: at(0.95), cpuMsPerSample: cpuMicros / 1000 / walls.length };
}

export function formatSampleCostBench(rows: SampleCostRow[]): string[] {
  const base = rows.find((r) => r.partitions === 6 && r.members === 6);
  const lines = rows.map((r) => {
    const growth = base ? `${(r.medianMs / base.medianMs).toFixed(1)} × the 6/6 cost (partitions × ${(r.partitions / 6).toFixed(1)}, members × ${(r.members / 6).toFixed(1)})` : '';
    return `  ${String(r.members).padStart(3)} members, ${String(r.partitions).padStart(3)} partitions × ${groups} topics   median ${r.medianMs.toFixed(1).padStart(6)} ms  p95 ${r.p95Ms.toFixed(1).padStart(6)} ms  CPU ${r.cpuMsPerSample.toFixed(1).padStart(5)} ms/sample  ${r.failed > 0 ? `${r.failed} failed  ` : ''}${growth}`;
  });
  const largest = rows.at(-1);
  if (largest) {
    const fits = largest.p95Ms <= intervalMs;
    lines.push(`  at the largest size one sample's p95 is ${largest.p95Ms.toFixed(0)} ms against the ${intervalMs} ms interval (goal: detection within one interval of its lower bound): ${fits ? 'fits' : 'does not fit'}`);
  }
  return lines;
}
