import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { startControlServer } from '../../src/drill/control-server.ts';
import type { TeamFleet } from '../../src/fleet/team/team-fleet.ts';
import type { FleetEvent } from '../../src/fleet/types.ts';
import { startDocker, type DockerStartedInfra } from '../../src/infra/docker/index.ts';
import { runCli } from '../helpers/cli.ts';
import { agentMetrics, startOrderPipeline, type StartedPipeline } from '../helpers/order-pipeline.ts';
import { orderPipelineDockerEnv } from '../helpers/scenario-variant.ts';
import { until as waitUntil, type Probe } from '../helpers/wait.ts';

// Needs a Docker engine: `npm test` provides one (scripts/docker-engine.mjs); never skipped.
const run = promisify(execFile);
const unique = `agents-${process.pid}-${Date.now().toString(36)}`;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-docker-agents-'));

async function labelled(label: string): Promise<string[]> {
  const { stdout } = await run('docker', ['ps', '-a', '--filter', `label=${label}`, '--format', '{{.Names}}']);
  return stdout.split('\n').filter(Boolean);
}

/** Root here reads /dev/kmsg; elsewhere (dmesg_restrict, no root) that witness cannot look. */
function kernelLogReadable(): boolean {
  try {
    fs.closeSync(fs.openSync('/dev/kmsg', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK));
    return true;
  } catch {
    return false;
  }
}

/** Containers start slower than processes: a longer default wait. */
const until = <T>(what: string, probe: Probe<T>, timeoutMs = 90_000) => waitUntil(what, probe, timeoutMs);

/**
 * The order pipeline from its fleet file under the docker provider: each agent a container of the
 * example's image (built from its Dockerfile after the file's `setup:`), the inventory API a
 * stand-in process behind its proxy, the load the harness's own.
 */
describe('docker provider with agents in containers', () => {
  let infra: DockerStartedInfra;
  let pipeline: StartedPipeline;
  let fleet: TeamFleet;
  const events: FleetEvent[] = [];

  beforeAll(async () => {
    const settings = settingsFromEnv();
    infra = await startDocker({ settings: { ...settings, docker: { ...settings.docker, agentsInContainers: true } }, progress: () => undefined, workDir, drillId: unique });
    expect(infra.launcher?.kind).toBe('container');
    pipeline = await startOrderPipeline({
      infra,
      prefix: `${unique}-`,
      workDir,
      ratePerSec: 20,
      containers: true,
      env: { ...process.env, ...orderPipelineDockerEnv() },
      // A small heap: the container's limit is the heap + the launcher's overhead, so the leak below hits it fast.
      adjust: (d) => ({ ...d, agents: { ...d.agents, fulfillment: { ...d.agents.fulfillment!, heap: 64 } } }),
    });
    fleet = pipeline.fleet;
    fleet.onEvent((e) => events.push(e));
  }, 600_000);
  afterAll(async () => {
    await pipeline?.stop();
    await infra?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('runs every agent as a labelled container and events flow to the sink', async () => {
    const names = await labelled(`agentdrill.drill=${unique}`);
    // Kafka, Toxiproxy, then inventory, decision, fulfillment, sink (the API is a stand-in process, the load the harness's).
    expect(names.filter((n) => n.includes('-agent-'))).toHaveLength(4);
    expect(infra.kafka.containerBootstrapServers?.[0]).toMatch(/^kafka:\d+$/);
    const sink = fleet.instances().find((i) => i.agent === 'sink')!;
    const processed = await until('the sink to process events', async () => {
      const m = await agentMetrics(fleet, sink.id);
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
        const { groups } = await admin.describeGroups([fleet.topology.groups.inventory!]);
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
    // The harness's own kill: no witness saw an OOM kill, and the journal says who sent the signal.
    expect(exited.detail.oomEvidence).toMatchObject({ saw: [], disagree: false, sentSignal: 'SIGKILL' });
    await until('the restart', () => events.find((e) => e.type === 'instance.restarted' && e.instanceId === decision.id));
    await until('decision healthy again', () => fleet.instances().find((i) => i.id === decision.id)?.state === 'running');
  });

  it('a leaking container ends in the kernel OOM kill: exit 137, OOMKilled=true', async () => {
    const fulfillment = fleet.instances().find((i) => i.agent === 'fulfillment')!;
    const startedAt = Date.now();
    // A TTL of an hour: the leaked entries stay cached, as in the memory-growth drill.
    await fleet.configure!(fulfillment.id, { leakMbPerSec: 40, cacheTtlMs: 3_600_000 });
    const exited = await until(
      'the OOM kill',
      () => events.find((e) => e.type === 'instance.exited' && e.instanceId === fulfillment.id),
      120_000,
    );
    console.log(`fulfillment OOM-killed after ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${JSON.stringify(exited.detail)}`);
    expect(exited.detail).toMatchObject({ code: 137, oomKilled: true });
    // Judged from more than the engine's flag: the kernel's own record names this container and pid.
    const evidence = exited.detail.oomEvidence as { saw: string[]; sentSignal?: string };
    expect(evidence.saw.length).toBeGreaterThan(0);
    if (kernelLogReadable()) expect(evidence.saw).toContain('kernelLog');
    expect(evidence.sentSignal).toBeUndefined();
    expect(fleet.instances().find((i) => i.id === fulfillment.id)?.lastExit).toMatchObject({ code: 137, oomKilled: true });
  });

  // `agentdrill ctl` as a runbook step runs it: the CLI against the drill's control server, which
  // acts on the same supervisor, here with the container launcher.
  it('agentdrill ctl status / stop / restart / kill / scale act on the containers', async () => {
    const admin = new Kafka({ clientId: `${unique}-ctl`, brokers: infra.kafka.bootstrapServers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const control = await startControlServer({ fleet, admin, latestSample: () => undefined, evaluate: () => ({ holds: false, failing: ['no samples here'] }) });
    const ctl = async (...args: string[]) => {
      const r = await runCli(['ctl', '--control', control.url, ...args]);
      expect(r.code, `ctl ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    type Status = { instances: { id: string; state: string; heapMb?: number; container?: { id: string; name: string; memoryLimitMb?: number } }[] };
    const status = async () => JSON.parse(await ctl('status')) as Status;
    const instance = async (id: string) => (await status()).instances.find((i) => i.id === id)!;
    /** The engine's view: running containers of one instance, name → id. */
    const containersOf = async (id: string) => {
      const { stdout } = await run('docker', ['ps', '--filter', `label=agentdrill.drill=${unique}`, '--filter', `label=agentdrill.instance=${id}`, '--format', '{{.Names}} {{.ID}}']);
      return new Map(stdout.split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
    };
    try {
      // status: every running instance names its container, the one the engine runs.
      const before = await status();
      for (const i of before.instances.filter((x) => x.state === 'running')) {
        const engine = await containersOf(i.id);
        expect(i.container, i.id).toBeDefined();
        expect(engine.get(i.container!.name), i.id).toBeDefined();
        expect(i.container!.id.startsWith(engine.get(i.container!.name)!)).toBe(true);
      }

      // stop: the container really goes away; status shows the instance stopped, without one.
      expect(await ctl('stop', 'decision')).toBe('stop: decision-1\n');
      expect((await containersOf('decision-1')).size).toBe(0);
      expect(await instance('decision-1')).toMatchObject({ state: 'stopped' });
      expect((await instance('decision-1')).container).toBeUndefined();

      // restart: a new container, running and healthy.
      const stoppedName = before.instances.find((i) => i.id === 'decision-1')!.container!.name;
      await ctl('restart', 'decision');
      const decision = await instance('decision-1');
      expect(decision.state).toBe('running');
      expect(decision.container!.name).not.toBe(stoppedName);
      expect([...(await containersOf('decision-1')).keys()]).toEqual([decision.container!.name]);

      // kill: SIGKILL through the engine (137, not the OOM killer); the supervisor brings up a new container.
      const killedName = (await instance('inventory-1')).container!.name;
      expect(await ctl('kill', 'inventory-1')).toBe('kill: inventory-1\n');
      const exited = await until('the kill', () => events.find((e) => e.type === 'instance.exited' && e.instanceId === 'inventory-1' && e.detail.container === killedName));
      expect(exited.detail).toMatchObject({ code: 137, signal: 'SIGKILL', oomKilled: false, expected: false });
      const back = await until('inventory-1 back in a new container', async () => {
        const i = await instance('inventory-1');
        return i.state === 'running' && i.container && i.container.name !== killedName ? i : undefined;
      });
      expect([...(await containersOf('inventory-1')).keys()]).toEqual([back.container!.name]);

      // restart --heap: the new container's memory limit follows (heap + the launcher's overhead).
      await ctl('restart', 'fulfillment-1', '--heap', '256');
      const fulfillment = await instance('fulfillment-1');
      expect(fulfillment).toMatchObject({ state: 'running', heapMb: 256, container: { memoryLimitMb: 320 } });
      const { stdout: memory } = await run('docker', ['inspect', '--format', '{{.HostConfig.Memory}}', fulfillment.container!.name]);
      expect(Number(memory.trim())).toBe(320 * 1024 * 1024);

      // scale: the newest inventory container is removed.
      expect(await ctl('scale', 'inventory', '-1')).toBe('inventory: 2 instance(s): inventory-1, inventory-2\n');
      expect((await containersOf('inventory-3')).size).toBe(0);
    } finally {
      await control.close();
      await admin.disconnect();
    }
  });

  it('after stop no labelled container remains', async () => {
    await pipeline.stop();
    expect((await labelled(`agentdrill.drill=${unique}`)).filter((n) => n.includes('-agent-'))).toEqual([]);
    await infra.stop();
    expect(await labelled(`agentdrill.drill=${unique}`)).toEqual([]);
  });
});
