import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/core/ports.ts';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { corruptDecisionState, createFleet, startFleet, type ReferenceFleet } from '../../src/reference-fleet/index.ts';
import type { FleetEvent } from '../../src/fleet/types.ts';
import type { FleetSpec } from '../../src/reference-fleet/types.ts';
import { localProvider } from '../../src/infra/local/index.ts';
import type { StartedInfra } from '../../src/infra/provider.ts';
import { until } from '../helpers/wait.ts';

const runTag = `${process.pid}-${Date.now().toString(36)}`;
const tempDirs: string[] = [];
function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `agentdrill-${label}-`));
  tempDirs.push(dir);
  return dir;
}

function spec(prefix: string, ratePerSec: number): FleetSpec {
  return {
    prefix,
    partitions: 3,
    agents: { inventory: { replicas: 1, concurrency: 8 }, decision: { replicas: 1 }, fulfillment: { replicas: 1 }, sink: { replicas: 1 } },
    load: { ratePerSec },
  };
}

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

let infra: StartedInfra;
let admin: Admin;
beforeAll(async () => {
  infra = await localProvider.start({ settings: settingsFromEnv(), progress: () => undefined, workDir: tempDir('fleet-infra') });
  admin = new Kafka({ clientId: `fleet-test-${runTag}`, brokers: infra.kafka.bootstrapServers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
});
afterAll(async () => {
  await admin?.disconnect();
  await infra?.stop();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('reference fleet behind a Toxiproxy proxy', () => {
  const prefix = `fleet-${runTag}-`;
  const events: FleetEvent[] = [];
  let fleet: ReferenceFleet;
  let readyMs = 0;

  beforeAll(async () => {
    const started = Date.now();
    const withApi = await createFleet({ kafka: infra.kafka, spec: spec(prefix, 100), workDir: tempDir('fleet') }).startApi();
    // The orchestrator's order: API first, a proxy in front of it, then the agents pointed at the proxy.
    const listenPort = await freePort();
    await new Toxiproxy(infra.toxiproxy.apiUrl).createProxy({
      name: `${prefix}inventory-api`,
      listen: `${infra.toxiproxy.listenHost}:${listenPort}`,
      upstream: `${withApi.api.host}:${withApi.api.port}`,
    });
    fleet = await withApi.start({ inventoryApiUrl: `http://${infra.toxiproxy.listenHost}:${listenPort}` });
    readyMs = Date.now() - started;
    fleet.onEvent((e) => events.push(e));
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('starts every agent and the sink sees a rising, duplicate-free count', async () => {
    console.log(`fleet ready in ${readyMs} ms`);
    expect(fleet.instances().map((i) => i.id).sort()).toEqual(['decision-1', 'fulfillment-1', 'inventory-1', 'inventory-api-1', 'load-1', 'sink-1']);
    expect(fleet.instances().every((i) => i.state === 'running' && i.pid !== undefined)).toBe(true);
    expect(fleet.inventoryApiUrl).not.toBe(fleet.api.url);
    const first = await until('events at the sink', async () => {
      const m = await fleet.metrics('sink-1');
      return m && (m.distinct as number) > 50 ? m : undefined;
    });
    await sleep(5000);
    const later = (await fleet.metrics('sink-1'))!;
    const load = (await fleet.metrics('load-1'))!;
    expect(later.distinct as number).toBeGreaterThan((first.distinct as number) + 300);
    expect(later.distinct).toBe(later.received);
    expect(later.maxSeq as number).toBeLessThanOrEqual(load.processed);
    expect(load.processed - (later.distinct as number)).toBeLessThan(200);
    const api = (await fleet.metrics('inventory-api-1'))!;
    expect(api.processed).toBeGreaterThan(0);
  });

  it('scales inventory out by two: three instances, three group members', async () => {
    const scaled = await fleet.scale('inventory', '+2');
    expect(scaled.map((i) => i.id)).toEqual(['inventory-1', 'inventory-2', 'inventory-3']);
    expect(scaled.every((i) => i.state === 'running')).toBe(true);
    const group = await until('3 stable members', async () => {
      const { groups } = await admin.describeGroups([fleet.topology.groups.inventory]);
      const g = groups[0];
      return g && g.state === 'Stable' && g.members.length === 3 ? g : undefined;
    });
    expect(group.members).toHaveLength(3);
    expect(events.some((e) => e.type === 'fleet.scaled' && e.detail.to === 3)).toBe(true);
  });

  it('restarts an instance killed with SIGKILL', async () => {
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
    const produced = await fleet.stopLoad();
    expect(produced).toBeGreaterThan(500);
    const report = await until(
      'the drain',
      async () => {
        const r = await fleet.integrity(produced);
        return r.lost === 0 ? r : undefined;
      },
      90_000,
    );
    expect(report).toMatchObject({ produced, processed: produced, lost: 0, invalid: 0 });
    expect(report.duplicated).toBeGreaterThanOrEqual(0);
    expect(await fleet.stopLoad()).toBe(produced);
    // The drill's drain waits for zero lag from committed offsets: every group must get there.
    for (const group of Object.values(fleet.topology.groups)) {
      await until(`zero lag for ${group}`, async () => ((await lagOf(admin, group, fleet.topology.groupTopics[group]!)) === 0 ? true : undefined), 30_000);
    }
  });

  it('stop() ends every process and is idempotent', async () => {
    const pids = fleet.instances().flatMap((i) => (i.pid ? [i.pid] : []));
    expect(pids.length).toBeGreaterThanOrEqual(7);
    await Promise.all([fleet.stop(), fleet.stop()]);
    expect(pids.filter(alive)).toEqual([]);
    expect(fleet.instances().every((i) => i.state === 'stopped')).toBe(true);
    await fleet.stop();
  });
});

describe('state corruption path: stop, corrupt, restart', () => {
  it('a decision agent restarted on a corrupted state file makes fulfillment count invalid inputs', async () => {
    const fleet = await startFleet({ kafka: infra.kafka, spec: spec(`corrupt-${runTag}-`, 50), workDir: tempDir('fleet-corrupt') });
    try {
      await until('decisions flowing', async () => ((await fleet.metrics('decision-1'))?.processed ?? 0) > 20 || undefined);
      await fleet.stopInstance('decision-1');
      await sleep(1000);
      const stopped = fleet.instances().find((i) => i.id === 'decision-1')!;
      expect(stopped.state).toBe('stopped');
      expect(stopped.pid).toBeUndefined();
      corruptDecisionState(stopped.stateFile!);
      await fleet.restartInstance('decision-1');
      expect(fleet.instances().find((i) => i.id === 'decision-1')!.state).toBe('running');
      await until('invalid inputs at fulfillment', async () => ((await fleet.metrics('fulfillment-1'))?.invalid ?? 0) > 0 || undefined);
      const produced = await fleet.stopLoad();
      const report = await until('the drain', async () => {
        const r = await fleet.integrity(produced);
        return r.lost === 0 ? r : undefined;
      });
      expect(report.invalid).toBeGreaterThan(0);
    } finally {
      await fleet.stop();
    }
  });
});

it('agents exit by themselves when the harness is SIGKILLed', async () => {
  const workDir = tempDir('fleet-orphan');
  const script = `import('${path.resolve('src/reference-fleet/index.ts')}').then(async ({ startFleet }) => {
    const fleet = await startFleet({ kafka: { bootstrapServers: ${JSON.stringify(infra.kafka.bootstrapServers)} },
      spec: ${JSON.stringify(spec(`orphan-${runTag}-`, 20))}, workDir: ${JSON.stringify(workDir)} });
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
  expect(pids).toHaveLength(6);
  expect(pids.every(alive)).toBe(true);
  harness.kill('SIGKILL');
  await until('orphaned agents to exit', () => (pids.some(alive) ? undefined : true), 12_000);
});
