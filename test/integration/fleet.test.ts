import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { corruptStateFile } from '../../src/faults/corrupt-file.ts';
import type { FleetEvent, FleetTopology } from '../../src/fleet/types.ts';
import { localProvider } from '../../src/infra/local/index.ts';
import type { StartedInfra } from '../../src/infra/provider.ts';
import { agentMetrics, startOrderPipeline, type StartedPipeline } from '../helpers/order-pipeline.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { until } from '../helpers/wait.ts';

/** The shipped order pipeline, started from its fleet file (the one way it runs) on a real broker. */
const runTag = `${process.pid}-${Date.now().toString(36)}`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function lagOf(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [committed, ends] = await Promise.all([admin.fetchOffsets({ groupId, topics: [topic] }), admin.fetchTopicOffsets(topic)]);
  const done = new Map(committed[0]!.partitions.map((p) => [p.partition, Number(p.offset)]));
  return ends.reduce((sum, p) => sum + Number(p.high) - Math.max(0, done.get(p.partition) ?? 0), 0);
}

async function drain(admin: Admin, topology: FleetTopology): Promise<void> {
  for (const group of Object.values(topology.groups)) {
    await until(`zero lag for ${group}`, async () => ((await lagOf(admin, group, topology.groupTopics[group]!)) === 0 ? true : undefined), 90_000);
  }
}

let infra: StartedInfra;
beforeAll(async () => {
  infra = await localProvider.start({ settings: settingsFromEnv(), progress: () => undefined, workDir: tempDir('agentdrill-fleet-infra-') });
});
afterAll(async () => {
  await infra?.stop();
});

describe('the order pipeline from its fleet file, its API behind a Toxiproxy proxy', () => {
  const prefix = `fleet-${runTag}-`;
  const events: FleetEvent[] = [];
  let pipeline: StartedPipeline;
  let readyMs = 0;

  beforeAll(async () => {
    const started = Date.now();
    pipeline = await startOrderPipeline({ infra, prefix, workDir: tempDir('agentdrill-fleet-'), ratePerSec: 100 });
    readyMs = Date.now() - started;
    pipeline.fleet.onEvent((e) => events.push(e));
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('starts every agent, proxies the API, and the sink sees a rising, duplicate-free count', async () => {
    const { fleet } = pipeline;
    console.log(`fleet ready in ${readyMs} ms`);
    expect(fleet.instances().map((i) => i.id).sort()).toEqual(['decision-1', 'fulfillment-1', 'inventory-1', 'sink-1']);
    expect(fleet.instances().every((i) => i.state === 'running' && i.pid !== undefined)).toBe(true);
    // The inventory agent was given the proxy's address, and the proxy forwards to the stand-in API.
    const proxy = await new Toxiproxy(infra.toxiproxy.apiUrl).get(pipeline.proxies['inventory-api']!);
    const api = fleet.dependencies['inventory-api']!;
    expect(proxy.listen.endsWith(`:${api.port}`)).toBe(true);
    expect(proxy.upstream.endsWith(`:${api.port}`)).toBe(false);
    const first = await until('events at the sink', async () => {
      const m = await agentMetrics(fleet, 'sink-1');
      return m && (m.distinct as number) > 50 ? m : undefined;
    });
    await sleep(5000);
    const later = (await agentMetrics(fleet, 'sink-1'))!;
    expect(later.distinct as number).toBeGreaterThan((first.distinct as number) + 300);
    expect(later.distinct).toBe(later.received);
    const apiMetrics = await (await fetch(`http://${api.host}:${api.port}/metrics`)).json() as { processed: number };
    expect(apiMetrics.processed).toBeGreaterThan(0);
  });

  it('scales inventory out by two: three instances, three group members', async () => {
    const { fleet, admin } = pipeline;
    const scaled = await fleet.scale('inventory', '+2');
    expect(scaled.map((i) => i.id)).toEqual(['inventory-1', 'inventory-2', 'inventory-3']);
    expect(scaled.every((i) => i.state === 'running')).toBe(true);
    const group = await until('3 stable members', async () => {
      const { groups } = await admin.describeGroups([fleet.topology.groups.inventory!]);
      const g = groups[0];
      return g && g.state === 'Stable' && g.members.length === 3 ? g : undefined;
    });
    expect(group.members).toHaveLength(3);
    expect(events.some((e) => e.type === 'fleet.scaled' && e.detail.to === 3)).toBe(true);
  });

  it('restarts an instance killed with SIGKILL', async () => {
    const { fleet } = pipeline;
    const before = fleet.instances().find((i) => i.id === 'inventory-2')!;
    await fleet.killInstance('inventory-2', 'SIGKILL');
    expect(alive(before.pid!)).toBe(false);
    const after = await until('inventory-2 back', () => {
      const i = fleet.instances().find((x) => x.id === 'inventory-2')!;
      return i.state === 'running' && i.restarts === 1 ? i : undefined;
    });
    expect(after.pid).not.toBe(before.pid);
    expect(after.lastExit?.signal).toBe('SIGKILL');
    expect(events.find((e) => e.type === 'instance.exited' && e.instanceId === 'inventory-2')?.detail.expected).toBe(false);
    expect(events.some((e) => e.type === 'instance.restarted' && e.instanceId === 'inventory-2')).toBe(true);
  });

  it('after stopping the load and draining, nothing is lost and nothing is invalid', async () => {
    const { fleet, admin } = pipeline;
    const produced = await fleet.stopLoad();
    expect(produced).toBeGreaterThan(500);
    // The drill's drain: zero lag from committed offsets in every group, then the end topic read to its end.
    await drain(admin, fleet.topology);
    const report = await fleet.integrity(produced);
    expect(report).toMatchObject({ produced, processed: produced, lost: 0, mode: 'stamped' });
    expect(report.duplicated).toBeGreaterThanOrEqual(0);
    expect((await agentMetrics(fleet, 'sink-1'))!.invalid).toBe(0);
  });

  it('stop() ends every process and is idempotent', async () => {
    const { fleet } = pipeline;
    const pids = fleet.instances().flatMap((i) => (i.pid ? [i.pid] : []));
    expect(pids.length).toBeGreaterThanOrEqual(6);
    await Promise.all([fleet.stop(), fleet.stop()]);
    expect(pids.filter(alive)).toEqual([]);
    expect(fleet.instances().every((i) => i.state === 'stopped')).toBe(true);
    await fleet.stop();
  });
});

describe('state corruption path: stop, corrupt, restart', () => {
  it('a decision agent restarted on a plausibly corrupted state file makes fulfillment count invalid inputs', async () => {
    const pipeline = await startOrderPipeline({ infra, prefix: `corrupt-${runTag}-`, workDir: tempDir('agentdrill-fleet-corrupt-'), ratePerSec: 50 });
    const { fleet } = pipeline;
    try {
      await until('decisions flowing', async () => ((await agentMetrics(fleet, 'decision-1'))?.processed ?? 0) > 20 || undefined);
      await fleet.stopInstance('decision-1');
      await sleep(1000);
      const stopped = fleet.instances().find((i) => i.id === 'decision-1')!;
      expect(stopped.state).toBe('stopped');
      expect(stopped.pid).toBeUndefined();
      // What the corrupt-state fault writes for a fleet file's JSON state: every number made wrong.
      expect(corruptStateFile(stopped.stateFile!, 'plausible').valuesChanged).toBeGreaterThan(0);
      await fleet.restartInstance('decision-1');
      expect(fleet.instances().find((i) => i.id === 'decision-1')!.state).toBe('running');
      await until('invalid inputs at fulfillment', async () => ((await agentMetrics(fleet, 'fulfillment-1'))?.invalid ?? 0) > 0 || undefined);
      const produced = await fleet.stopLoad();
      await drain(pipeline.admin, fleet.topology);
      const report = await fleet.integrity(produced);
      expect(report.lost).toBe(0);
      expect((await agentMetrics(fleet, 'sink-1'))!.invalid).toBeGreaterThan(0);
    } finally {
      await pipeline.stop();
    }
  });
});

it('agents exit by themselves when the harness is SIGKILLed', async () => {
  const workDir = tempDir('agentdrill-fleet-orphan-');
  // The harness's view of the infra it needs: the broker and Toxiproxy's API (proxies on any free port).
  const started = { kafka: infra.kafka, toxiproxy: { apiUrl: infra.toxiproxy.apiUrl, listenHost: infra.toxiproxy.listenHost } };
  const script = `import('${new URL('../helpers/order-pipeline.ts', import.meta.url).pathname}').then(async ({ startOrderPipeline }) => {
    const { fleet } = await startOrderPipeline({ infra: ${JSON.stringify(started)}, prefix: ${JSON.stringify(`orphan-${runTag}-`)}, workDir: ${JSON.stringify(workDir)}, ratePerSec: 20 });
    console.log(JSON.stringify(fleet.instances().map((i) => i.pid)));
    setInterval(() => {}, 1000);
  });`;
  const harness = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pids = await new Promise<number[]>((resolve, reject) => {
    let out = '';
    harness.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as number[]);
    });
    harness.once('exit', (code) => reject(new Error(`harness exited early (${code})`)));
  });
  expect(pids).toHaveLength(4);
  expect(pids.every(alive)).toBe(true);
  harness.kill('SIGKILL');
  await until('orphaned agents to exit', () => (pids.some(alive) ? undefined : true), 12_000);
});
