import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { eventsOfType, type JournalFile } from '../../src/core/journal.ts';
import { agentRssMb } from '../../src/faults/memory-figures.ts';
import { drillViaCli } from '../helpers/drill.ts';
import { orderPipelineDockerEnv, scenarioVariant } from '../helpers/scenario-variant.ts';

// The shipped drills, unchanged but for `provider: docker`, with every agent in its own container
// (the default, set explicitly here), run from the fleet file's image: the faults are the
// container runtime's own. Needs the engine
// `npm test` provides; never skipped. Tests in a file run one after another.
const run = promisify(execFile);
const inContainers = () => ({ AGENTDRILL_DOCKER_AGENTS: 'container', ...orderPipelineDockerEnv() });
type Events = JournalFile['events'];

const drill = async (name: string, edits: Record<string, unknown> = {}) => {
  const r = await drillViaCli(scenarioVariant(name, { provider: 'docker', ...edits }), [], inContainers());
  console.log(`${name} (docker): ${r.result.verdict}, TTD ${r.result.ttdMs} ms, TTR ${r.result.ttrMs} ms, wall ${(r.wallMs / 1000).toFixed(0)} s`, JSON.stringify(r.result.faultFigures));
  return r;
};
const exits = (events: Events, agent: string) =>
  eventsOfType(events, 'fleet.event').filter((e) => e.payload.type === 'instance.exited' && e.payload.agent === agent && e.payload.detail.expected === false);
const step = (events: Events, name: string) => eventsOfType(events, 'step.finished').find((s) => s.payload.name === name)?.payload;
/** The drill's own containers still there (other runs may share the engine, so by the drill's label). */
const leftovers = (events: Events) => {
  const drillId = eventsOfType(events, 'drill.started')[0]!.payload.drillId;
  return execFileSync('docker', ['ps', '-a', '--filter', `label=agentdrill.drill=${drillId}`, '--format', '{{.Names}}'], { encoding: 'utf8' }).trim();
};

/** Detected and recovered within the targets, nothing lost, and the drill's containers gone. */
function expectWithinTargetsAndWhole(r: Awaited<ReturnType<typeof drill>>): void {
  expect(r.result.ttdMs!).toBeLessThanOrEqual(r.result.targets.detectMs);
  expect(r.result.ttrMs!).toBeLessThanOrEqual(r.result.targets.recoverMs);
  expect(r.result.integrity!.lost).toBe(0);
  expect(leftovers(r.events)).toBe('');
}

/**
 * Watches the engine while a drill runs: every container of one instance id (of this file's run:
 * another file's drill beside it has the same instance ids) and the memory limit the engine enforces on it (`docker inspect` HostConfig.Memory), keyed by container name.
 */
function watchMemoryLimits(instanceId: string): { stop: () => Promise<Map<string, number>> } {
  const limits = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const { stdout } = await run('docker', ['ps', '--filter', `label=agentdrill.instance=${instanceId}`, '--filter', `label=agentdrill.run=${process.env.AGENTDRILL_RUN_ID ?? ''}`, '--format', '{{.Names}}']);
        for (const name of stdout.split('\n').filter((n) => n && !limits.has(n))) {
          const { stdout: memory } = await run('docker', ['inspect', '--format', '{{.HostConfig.Memory}}', name]);
          limits.set(name, Number(memory.trim()) / 1024 / 1024);
        }
      } catch {
        // gone between ps and inspect: the next round sees its successor
      }
      await sleep(500);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return limits;
    },
  };
}

describe('the shipped drills with provider: docker, agents in containers', () => {
  it("memory-growth-reactive: the kernel's OOM kill (137, OOMKilled) is the OOM the journal and report show; restart --heap raises the container's limit", async () => {
    const watch = watchMemoryLimits('fulfillment-1');
    let limits: Map<string, number>;
    let r: Awaited<ReturnType<typeof drill>>;
    try {
      r = await drill('memory-growth-reactive');
    } finally {
      limits = await watch.stop();
    }
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(r.result.verdict).toBe('passed');
    const { events } = r;

    // The engine's word, journaled as it reported it: SIGKILL by the OOM killer at the container's limit (heapMb 128 + 64).
    const oomExit = exits(events, 'fulfillment')[0]!;
    expect(oomExit.payload.detail).toMatchObject({ code: 137, signal: 'SIGKILL', oomKilled: true, memoryLimitMb: 192 });
    // Judged from several witnesses, never the engine's flag alone (it can trail the exit on a busy machine).
    expect((oomExit.payload.detail.oomEvidence as { saw: string[] }).saw.length).toBeGreaterThan(0);
    const oom = eventsOfType(events, 'observation').find((o) => o.payload.kind === 'oom')!;
    expect(oom.payload).toMatchObject({ agent: 'fulfillment', instanceId: 'fulfillment-1', detail: { exitCode: 137, cause: 'kernel-oom-killer', oomKilled: true, heapMb: 128 } });
    expect(Math.abs(oom.at - oomExit.at)).toBeLessThan(1000);
    expect(r.result.faultFigures).toMatchObject({ oom: true, oomExitCode: 137, oomSignal: 'SIGKILL', oomCause: 'kernel-oom-killer' });

    // The report marks it as the kernel's OOM kill, not as a plain kill.
    const html = readFileSync(r.result.report!, 'utf8');
    expect(html).toContain('killed by the kernel OOM killer');

    // Diagnose: `ctl status` lists the containers and the OOM in lastExit.
    const status = JSON.parse(step(events, 'oom-status')!.output) as { instances: { id: string; container?: { name: string }; lastExit?: { oomKilled?: boolean } }[] };
    const fulfillment = status.instances.find((i) => i.id === 'fulfillment-1')!;
    expect(fulfillment.lastExit).toMatchObject({ code: 137, oomKilled: true });
    expect(status.instances.every((i) => /-agent-/.test(i.container?.name ?? ''))).toBe(true);

    // Respond: `restart fulfillment --heap 512` started a new container with the engine enforcing 512 + 64 MB.
    expect(step(events, 'restart-larger-heap')?.exitCode).toBe(0);
    const manual = eventsOfType(events, 'fleet.event').find((e) => e.payload.type === 'instance.restarted' && e.payload.detail.manual === true)!;
    expect(manual.at).toBeGreaterThan(oom.at);
    expect(manual.payload.detail).toMatchObject({ memoryLimitMb: 576 });
    const restartedAs = manual.payload.detail.container as string;
    expect(limits.get(restartedAs)).toBe(576);
    expect(limits.get(oomExit.payload.detail.container as string)).toBe(192);
    // And the steady state held on it: memory under the line, offsets moving.
    const recovered = eventsOfType(events, 'recovered')[0]!;
    expect(recovered.payload.windowStartAt).toBeGreaterThanOrEqual(oom.at);
    const after = eventsOfType(events, 'sample').filter((e) => e.at > manual.at).map((e) => e.payload.groups.fulfillment!.committed);
    expect(after.at(-1)!).toBeGreaterThan(after[0]! + 200);

    expect(r.result.ttrMs!).toBeLessThanOrEqual(r.result.targets.recoverMs);
    expect(r.result.integrity!.lost).toBe(0);
    expect(leftovers(events)).toBe('');
  });

  it('kill-consumer: a real SIGKILL of the container (137, not OOMKilled); the broker rebalances, lag spikes and drains', async () => {
    const r = await drill('kill-consumer');
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(r.result.verdict).toBe('passed');
    const { events } = r;
    const t0 = eventsOfType(events, 'fault.injected')[0]!.at;

    const killed = exits(events, 'inventory')[0]!;
    expect(killed.payload).toMatchObject({ instanceId: 'inventory-1', detail: { code: 137, signal: 'SIGKILL', oomKilled: false } });
    expect(killed.payload.detail.container).toMatch(/-agent-inventory-1-\d+$/);
    // The supervisor's restart is a new container.
    const restarted = eventsOfType(events, 'fleet.event').find((e) => e.payload.type === 'instance.restarted' && e.payload.instanceId === 'inventory-1')!;
    expect(restarted.payload.detail.container).not.toBe(killed.payload.detail.container);

    // The broker saw the group leave Stable after the kill and come back.
    const states = eventsOfType(events, 'group.state').filter((e) => e.payload.group === 'inventory' && e.at > t0);
    const left = states.find((e) => e.payload.to !== 'Stable')!;
    expect(left.payload.to).toMatch(/PreparingRebalance|CompletingRebalance/);
    expect(states.some((e) => e.at > left.at && e.payload.to === 'Stable')).toBe(true);

    const { figures, failures } = eventsOfType(events, 'fault.assessed')[0]!.payload;
    expect(failures).toEqual([]);
    expect(figures.rebalanceObserved).toBe(true);
    // A stall longer than any the healthy group showed in its baseline. How long depends on how
    // fast the members rejoin (0.48-0.9 s with containers on a loaded runner, 2-3 s for local
    // processes), so the bar is the fleet's own healthy figure, not a machine-speed constant.
    expect(figures.pauseMs).toBeGreaterThan(figures.baselinePauseMs as number);
    expect(figures.lagSpikeRatio).toBeGreaterThan(3);

    const steps = eventsOfType(events, 'step.finished').map((s) => s.payload);
    expect(steps.map((s) => s.name)).toEqual(['group-state', 'hold-for-rebalance', 'lag-drained']);
    expect(steps.every((s) => s.exitCode === 0)).toBe(true);
    expectWithinTargetsAndWhole(r);
    expect(r.result.integrity!.processed).toBe(r.result.integrity!.produced);
  });

  it('state-corruption: the state file is corrupted in the bind-mounted folder; ctl stop, reset-offsets and restart act on the container', async () => {
    const r = await drill('state-corruption');
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(r.result.verdict).toBe('passed');
    const { events } = r;
    const injected = eventsOfType(events, 'fault.injected')[0]!;
    expect(injected.payload.detail).toMatchObject({ mode: 'plausible', restartedBeforeCorruption: false });
    const corruptedAt = injected.payload.detail.corruptedAt as number;
    const killed = exits(events, 'decision')[0]!;
    expect(killed.payload.detail).toMatchObject({ code: 137, signal: 'SIGKILL', oomKilled: false });
    expect(killed.at).toBeLessThanOrEqual(corruptedAt);
    // The restarted container loaded the file the harness corrupted: fulfillment counted invalid decisions.
    const invalid = eventsOfType(events, 'sample').filter((e) => e.at > injected.at).map((e) => e.payload.counters['invalid.fulfillment'] ?? 0);
    expect(Math.max(...invalid)).toBeGreaterThan(0);

    const steps = eventsOfType(events, 'step.finished').map((s) => s.payload);
    expect(steps.map((s) => s.name)).toEqual(['decision-status', 'stop-decision', 'delete-state', 'reset-offsets', 'restart-decision', 'no-invalid-decisions']);
    expect(steps.every((s) => s.exitCode === 0)).toBe(true);
    // `ctl stop` ended the container (an expected exit), `ctl restart` started a new one.
    const stop = step(events, 'stop-decision')!;
    const decision = eventsOfType(events, 'fleet.event').filter((e) => e.payload.agent === 'decision' && e.at >= stop.startedAt);
    const stopped = decision.find((e) => e.payload.type === 'instance.exited')!;
    expect(stopped.payload.detail).toMatchObject({ expected: true });
    const started = decision.find((e) => e.payload.type === 'instance.started')!;
    expect(started.payload.detail.container).toMatch(/-agent-decision-1-\d+$/);
    expect(started.payload.detail.container).not.toBe(stopped.payload.detail.container);

    const { figures, failures } = eventsOfType(events, 'fault.assessed')[0]!.payload;
    expect(failures).toEqual([]);
    expect(figures.stateMatchesLog).toBe(true);
    expect(figures.blastRadius).toBeGreaterThan(0);
    expectWithinTargetsAndWhole(r);
    expect(r.result.integrity!.processed).toBe(r.result.integrity!.produced);
  });

  it('memory-growth (proactive): RSS climbs in the container, ctl config shortens the TTL before any OOM, memory falls', async () => {
    // The runbook pages at 140 MB. The agent's container starts near 45 MB of working set where the
    // local process (node + tsx) starts near 100 MB, so at the scenario's 3 MB/s the page came 32–33 s
    // after injection (three runs), past the 25 s target, though nothing was slow. This test is about
    // the container path (memory climbs in the container, the TTL step brings it down before any
    // OOM), so the leak is faster here: at 6 MB/s the page comes about 17 s after injection.
    const r = await drill('memory-growth', { 'fault.rate': '6MB/s' });
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(r.result.verdict).toBe('passed');
    const { events } = r;
    expect(eventsOfType(events, 'observation').filter((o) => o.payload.kind === 'oom')).toEqual([]);
    expect(exits(events, 'fulfillment')).toEqual([]);
    expect(r.result.faultFigures).toMatchObject({ oom: false, variant: 'proactive' });

    const ttl = step(events, 'shorten-cache-ttl')!;
    expect(ttl.exitCode).toBe(0);
    const rss = (from: number, to: number) =>
      eventsOfType(events, 'sample')
        .filter((e) => e.at > from && e.at < to)
        .flatMap((e) => agentRssMb(e.payload, 'fulfillment') ?? []);
    const peak = r.result.faultFigures!.peakRssMb as number;
    expect(peak).toBeGreaterThan(140);
    expect(Math.max(...rss(ttl.endedAt + 1000, ttl.endedAt + 6000))).toBeLessThan(130);

    expectWithinTargetsAndWhole(r);
  });
});
