import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { startFleet, type ReferenceFleet } from '../../src/fleet/index.ts';
import type { FleetEvent, FleetSpec } from '../../src/fleet/types.ts';
import { startDocker, type DockerStartedInfra } from '../../src/infra/docker/index.ts';

// Needs a Docker engine: `npm test` provides one (scripts/docker-engine.mjs); never skipped.
const run = promisify(execFile);
const unique = `agents-${process.pid}-${Date.now().toString(36)}`;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-docker-agents-'));

async function labelled(label: string): Promise<string[]> {
  const { stdout } = await run('docker', ['ps', '-a', '--filter', `label=${label}`, '--format', '{{.Names}}']);
  return stdout.split('\n').filter(Boolean);
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, { cause: lastError });
    await sleep(250);
  }
}

const spec: FleetSpec = {
  prefix: `${unique}-`,
  partitions: 3,
  agents: {
    inventory: { replicas: 1, concurrency: 8 },
    decision: { replicas: 1 },
    // A small heap: the container's limit is heapMb + the launcher's overhead, so the leak below hits it fast.
    fulfillment: { replicas: 1, heapMb: 64 },
    sink: { replicas: 1 },
  },
  load: { ratePerSec: 20 },
};

describe('docker provider with agents in containers', () => {
  let infra: DockerStartedInfra;
  let fleet: ReferenceFleet;
  const events: FleetEvent[] = [];
  const previous = process.env.AGENTDRILL_DOCKER_AGENTS;

  beforeAll(async () => {
    process.env.AGENTDRILL_DOCKER_AGENTS = 'container';
    infra = await startDocker({ settings: settingsFromEnv(), progress: () => undefined, workDir, drillId: unique });
    expect(infra.launcher?.kind).toBe('container');
    fleet = await startFleet({ kafka: infra.kafka, spec, workDir, launcher: infra.launcher });
    fleet.onEvent((e) => events.push(e));
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.AGENTDRILL_DOCKER_AGENTS;
    else process.env.AGENTDRILL_DOCKER_AGENTS = previous;
    await fleet?.stop();
    await infra?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('runs every agent as a labelled container and events flow to the sink', async () => {
    const names = await labelled(`agentdrill.drill=${unique}`);
    // Kafka, Toxiproxy, the inventory API, load, inventory, decision, fulfillment, sink.
    expect(names.filter((n) => n.includes('-agent-'))).toHaveLength(6);
    expect(infra.kafka.containerBootstrapServers?.[0]).toMatch(/-kafka:\d+$/);
    const sink = fleet.instances().find((i) => i.agent === 'sink')!;
    const processed = await until('the sink to process events', async () => {
      const m = await fleet.metrics(sink.id);
      return m && m.processed > 0 ? m.processed : undefined;
    });
    expect(processed).toBeGreaterThan(0);
  });

  it('scale-out adds containers that join the consumer group', async () => {
    await fleet.scale('inventory', '+2');
    expect(fleet.instances().filter((i) => i.agent === 'inventory')).toHaveLength(3);
    const admin = new Kafka({ clientId: unique, brokers: infra.kafka.bootstrapServers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const members = await until('3 members in the inventory group', async () => {
        const { groups } = await admin.describeGroups([fleet.topology.groups.inventory]);
        const n = groups[0]?.members.length ?? 0;
        return groups[0]?.state === 'Stable' && n === 3 ? n : undefined;
      });
      expect(members).toBe(3);
    } finally {
      await admin.disconnect();
    }
    const containers = await labelled(`agentdrill.drill=${unique}`);
    expect(containers.filter((n) => /-agent-inventory-\d+-\d+$/.test(n))).toHaveLength(3);
  });

  it('a SIGKILLed container is restarted by the supervisor', async () => {
    const decision = fleet.instances().find((i) => i.agent === 'decision')!;
    await fleet.killInstance(decision.id, 'SIGKILL');
    const exited = await until('the exit', () => events.find((e) => e.type === 'instance.exited' && e.instanceId === decision.id));
    expect(exited.detail).toMatchObject({ code: 137, signal: 'SIGKILL', oomKilled: false, expected: false });
    await until('the restart', () => events.find((e) => e.type === 'instance.restarted' && e.instanceId === decision.id));
    await until('decision healthy again', () => fleet.instances().find((i) => i.id === decision.id)?.state === 'running');
  });

  it('a leaking container ends in the kernel OOM kill: exit 137, OOMKilled=true', async () => {
    const fulfillment = fleet.instances().find((i) => i.agent === 'fulfillment')!;
    const startedAt = Date.now();
    // A TTL of an hour: the leaked entries stay cached, as in the memory-growth drill.
    await fleet.configure(fulfillment.id, { leakMbPerSec: 40, cacheTtlMs: 3_600_000 });
    const exited = await until(
      'the OOM kill',
      () => events.find((e) => e.type === 'instance.exited' && e.instanceId === fulfillment.id),
      120_000,
    );
    console.log(`fulfillment OOM-killed after ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${JSON.stringify(exited.detail)}`);
    expect(exited.detail).toMatchObject({ code: 137, oomKilled: true });
    expect(fleet.instances().find((i) => i.id === fulfillment.id)?.lastExit).toMatchObject({ code: 137, oomKilled: true });
  });

  it('after stop no labelled container remains', async () => {
    await fleet.stop();
    expect((await labelled(`agentdrill.drill=${unique}`)).filter((n) => n.includes('-agent-'))).toEqual([]);
    await infra.stop();
    expect(await labelled(`agentdrill.drill=${unique}`)).toEqual([]);
  });
});
