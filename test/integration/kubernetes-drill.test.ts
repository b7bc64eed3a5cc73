import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsOfType, type JournalFile } from '../../src/core/journal.ts';
import { processesWithMarker, runCli, startCli, waitFor } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { baseImageTag } from '../../src/infra/docker/images/base-image.ts';
import { drillViaCli } from '../helpers/drill.ts';
import { expectRebalanceObserved } from '../helpers/rebalance.ts';
import { orderPipelineDockerEnv, scenarioVariant } from '../helpers/scenario-variant.ts';

/**
 * The shipped kill-consumer (with its negative control), downstream-backlog, state-corruption and reactive memory drills with `--provider kubernetes`: a single-node cluster started on
 * this machine (from the per-user cache), the order pipeline's agents as real pods of its image,
 * the kill a real SIGKILL of the pod's process, reported back by the API's watch. After the drill
 * the API listed no labelled object, and nothing of the cluster is left on the machine.
 */
type Events = JournalFile['events'];
// No registry answers here: the payments Dockerfiles take agentdrill's own Debian base.
const paymentsEnv = (): NodeJS.ProcessEnv => ({ PAYMENTS_PYTHON_BASE: baseImageTag(), PAYMENTS_JAVA_BASE: baseImageTag() });
/** The payments runbook with a kubectl step in the scorer rebalance's Diagnose, written as on call (no -n, no --kubeconfig). */
function runbookWithKubectl(): string {
  const text = fs.readFileSync(path.resolve('examples/payments/runbook.md'), 'utf8');
  const anchor = '#### Respond (~1 min)\n\nDo nothing for one session timeout';
  expect(text).toContain(anchor);
  const step = ['List the scorer pods and their state.', '', '```sh {"name":"scorer-pods","timeout":"30s"}', 'kubectl get pods -l agentdrill.io/agent=scorer', '```', '', ''].join('\n');
  const file = path.join(tempDir('agentdrill-k8s-runbook-'), 'runbook.md');
  fs.writeFileSync(file, text.replace(anchor, step + anchor));
  return file;
}
const log = (m: string) => console.log(`[kubernetes-drill] ${m}`);

function fleetEvents(events: Events, type: string, instanceId?: string) {
  return eventsOfType(events, 'fleet.event').filter((e) => e.payload.type === type && (instanceId === undefined || e.payload.instanceId === instanceId));
}

/** The cluster's folder, from the progress line that names its kubeconfig. */
function clusterDir(stderr: string): string {
  const match = /kubeconfig (\/\S+)\/admin\.kubeconfig/.exec(stderr);
  expect(match, 'the provider names its kubeconfig').not.toBeNull();
  return match![1]!;
}

/** Nothing of that cluster on the machine: no process naming its folder, no mount under it, no folder. */
function expectNothingLeft(run: { stderr: string; marker: string }): void {
  const dir = clusterDir(run.stderr);
  expect(run.stderr).toContain('kubernetes: labelled objects left in the cluster: 0');
  expect(run.stderr).not.toContain('the cluster left on the machine');
  expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toContain(dir);
  expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(dir);
  expect(fs.existsSync(dir)).toBe(false);
  expect(processesWithMarker(run.marker)).toEqual([]);
}

describe('shipped drills on --provider kubernetes (agents as pods of a local cluster)', () => {
  // drillViaCli's output folders (journal, report): read by the assertions, removed after each test.
  const outputs: string[] = [];
  afterEach(() => {
    for (const out of outputs.splice(0)) fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('passes: the pod of inventory-1 is SIGKILLed (137 from the API), the group rebalances, the supervisor starts a new pod, nothing is lost or left', async () => {
    const run = await drillViaCli(path.resolve('scenarios/kill-consumer.yaml'), ['--provider', 'kubernetes'], orderPipelineDockerEnv());
    outputs.push(run.out);
    log(`wall ${run.wallMs} ms, verdict ${run.result.verdict}, TTD ${run.result.ttdMs} ms, TTR ${run.result.ttrMs} ms`);
    expect(run.code, run.stderr.slice(-4000)).toBe(0);
    expect(run.result.verdict).toBe('passed');
    const { events } = run;

    // Every agent instance ran as a pod: each exit (the kill, then the teardown's stops) names its pod.
    const exits = fleetEvents(events, 'instance.exited').filter((e) => ['inventory', 'decision', 'fulfillment', 'sink'].includes(e.payload.agent));
    expect(new Set(exits.map((e) => e.payload.instanceId)).size).toBe(8);
    for (const e of exits) expect(e.payload.detail.container).toMatch(new RegExp(`^agent-${e.payload.instanceId}-\\d+$`));

    const killed = fleetEvents(events, 'instance.exited', 'inventory-1')[0]!;
    expect(killed.payload.detail).toMatchObject({ code: 137, signal: 'SIGKILL', oomKilled: false, expected: false, restarting: true });
    expect(killed.payload.detail.oomEvidence).toMatchObject({ sentSignal: 'SIGKILL', saw: [] });
    // The supervisor's restart is a new pod.
    const restarted = fleetEvents(events, 'instance.restarted', 'inventory-1')[0]!;
    expect(restarted.payload.detail.container).toMatch(/^agent-inventory-1-\d+$/);
    expect(restarted.payload.detail.container).not.toBe(killed.payload.detail.container);
    // The cluster's own account is journaled beside the supervisor's: its scheduler placed the new pod, its kubelet started it.
    const platform = eventsOfType(events, 'platform.event').map((e) => e.payload);
    const reasons = platform.filter((p) => p.object === `pod/${restarted.payload.detail.container}`).map((p) => p.reason);
    expect(reasons, JSON.stringify(platform.slice(0, 20))).toEqual(expect.arrayContaining(['Scheduled', 'Started']));
    expect(platform.every((p) => p.source === 'kubernetes' && p.count >= 1)).toBe(true);

    expectRebalanceObserved(events, 'inventory');

    const steps = eventsOfType(events, 'step.finished').map((s) => s.payload);
    expect(steps.map((s) => s.name)).toEqual(['group-state', 'hold-for-rebalance', 'lag-drained']);
    expect(steps.every((s) => s.exitCode === 0)).toBe(true);
    expect(run.result.ttrMs!).toBeLessThanOrEqual(run.result.targets.recoverMs);
    expect(run.result.integrity!.lost).toBe(0);
    expectNothingLeft(run);
  }, 15 * 60_000);

  // The negative controls (an alert that cannot fire, a runbook without its response) are the
  // scorer's and the runbook's, the same on every provider: kill-consumer.test.ts and the other
  // local drill files run them. A failed drill's clean-up is the same teardown as a passed one's.

  it('downstream-backlog passes: the runbook scales inventory out to three, and the supervisor runs the new instances as pods', async () => {
    const run = await drillViaCli(path.resolve('scenarios/downstream-backlog.yaml'), ['--provider', 'kubernetes'], orderPipelineDockerEnv());
    outputs.push(run.out);
    log(`downstream-backlog: wall ${run.wallMs} ms, verdict ${run.result.verdict}, TTD ${run.result.ttdMs} ms, TTR ${run.result.ttrMs} ms`);
    expect(run.code, run.stderr.slice(-4000)).toBe(0);
    expect(run.result.verdict).toBe('passed');
    const steps = eventsOfType(run.events, 'step.finished').map((s) => s.payload);
    expect(steps.map((s) => [s.name, s.exitCode])).toEqual([
      ['confirm-api-latency', 0],
      ['scale-out', 0],
      ['lag-draining', 0],
    ]);
    const added = fleetEvents(run.events, 'instance.started').map((e) => [e.payload.instanceId, e.payload.detail.container]);
    expect(added.map(([id]) => id).sort()).toEqual(['inventory-2', 'inventory-3']);
    for (const [id, pod] of added) expect(pod).toMatch(new RegExp(`^agent-${id}-\\d+$`));
    expect(run.result.integrity!.lost).toBe(0);
    expectNothingLeft(run);
  }, 15 * 60_000);

  it("state-corruption passes: decision-1's pod SIGKILLed, its state corrupted on the hostPath volume, the new pod reads it; the runbook repairs it", async () => {
    const run = await drillViaCli(path.resolve('scenarios/state-corruption.yaml'), ['--provider', 'kubernetes'], orderPipelineDockerEnv());
    outputs.push(run.out);
    log(`state-corruption: wall ${run.wallMs} ms, verdict ${run.result.verdict}, TTD ${run.result.ttdMs} ms, TTR ${run.result.ttrMs} ms`);
    expect(run.code, run.stderr.slice(-4000)).toBe(0);
    expect(run.result.verdict).toBe('passed');
    const killed = fleetEvents(run.events, 'instance.exited', 'decision-1')[0]!;
    expect(killed.payload.detail).toMatchObject({ code: 137, signal: 'SIGKILL', expected: false });
    expect(killed.payload.detail.container).toMatch(/^agent-decision-1-\d+$/);
    const restarted = fleetEvents(run.events, 'instance.restarted', 'decision-1')[0]!;
    expect(restarted.payload.detail.container).not.toBe(killed.payload.detail.container);
    const steps = eventsOfType(run.events, 'step.finished').map((s) => s.payload);
    expect(steps.map((s) => s.name)).toEqual(['decision-status', 'stop-decision', 'delete-state', 'reset-offsets', 'restart-decision', 'no-invalid-decisions']);
    expect(steps.every((s) => s.exitCode === 0)).toBe(true);
    const { figures, failures } = eventsOfType(run.events, 'fault.assessed')[0]!.payload;
    expect(failures).toEqual([]);
    expect(figures.blastRadius).toBeGreaterThan(0);
    expect(figures.stateMatchesLog).toBe(true);
    expect(run.result.integrity!.lost).toBe(0);
    expectNothingLeft(run);
  }, 15 * 60_000);

  it("memory-growth-reactive passes: fulfillment's own leak fills its pod's 192Mi limit, the kernel kills it and the API says OOMKilled; the runbook's restart --heap 512 makes a pod with 576Mi", async () => {
    const run = await drillViaCli(path.resolve('scenarios/memory-growth-reactive.yaml'), ['--provider', 'kubernetes'], orderPipelineDockerEnv());
    outputs.push(run.out);
    const figures = run.result.faultFigures!;
    log(`memory-growth-reactive: wall ${run.wallMs} ms, verdict ${run.result.verdict}, TTD ${run.result.ttdMs} ms, TTR ${run.result.ttrMs} ms, ${JSON.stringify(figures)}`);
    expect(run.code, run.stderr.slice(-4000)).toBe(0);
    expect(run.result.verdict).toBe('passed');

    // The API's word, as the watch reported it (a SIGKILL at the pod's limit, heapMb 128 + 64, reason OOMKilled), and the kernel log's.
    const oomExit = fleetEvents(run.events, 'instance.exited', 'fulfillment-1').find((e) => e.payload.detail.expected === false)!;
    expect(oomExit.payload.detail).toMatchObject({ code: 137, signal: 'SIGKILL', oomKilled: true, memoryLimitMb: 192 });
    expect(oomExit.payload.detail.container).toMatch(/^agent-fulfillment-1-\d+$/);
    expect(oomExit.payload.detail.oomEvidence).toMatchObject({ saw: ['kubelet', 'kernelLog'], sawNone: [], disagree: false });
    // No one sent it: the kernel did.
    expect(oomExit.payload.detail.oomEvidence).not.toHaveProperty('sentSignal');
    const oom = eventsOfType(run.events, 'observation').find((o) => o.payload.kind === 'oom')!;
    expect(oom.payload).toMatchObject({ instanceId: 'fulfillment-1', detail: { exitCode: 137, cause: 'kernel-oom-killer', oomKilled: true, heapMb: 128, oomEvidence: { saw: ['kubelet', 'kernelLog'] } } });
    expect(figures).toMatchObject({ oom: true, oomExitCode: 137, oomSignal: 'SIGKILL', oomCause: 'kernel-oom-killer' });
    // Memory was read from the pod's cgroup and grew past the heap limit the leak would otherwise die at.
    expect(figures.peakRssMb as number).toBeGreaterThan(128);

    const step = (name: string) => eventsOfType(run.events, 'step.finished').find((s) => s.payload.name === name)?.payload;
    const status = JSON.parse(step('oom-status')!.output) as { instances: { id: string; lastExit?: { code: number | null; oomKilled?: boolean } }[] };
    expect(status.instances.find((i) => i.id === 'fulfillment-1')!.lastExit).toMatchObject({ code: 137, oomKilled: true });
    expect(step('restart-larger-heap')?.exitCode).toBe(0);
    const manual = fleetEvents(run.events, 'instance.restarted', 'fulfillment-1').find((e) => e.payload.detail.manual === true)!;
    expect(manual.at).toBeGreaterThan(oom.at);
    expect(manual.payload.detail).toMatchObject({ memoryLimitMb: 576 });
    expect(manual.payload.detail.container).toMatch(/^agent-fulfillment-1-\d+$/);
    expect(run.result.ttrMs!).toBeLessThanOrEqual(run.result.targets.recoverMs);
    expect(run.result.integrity!.lost).toBe(0);
    expectNothingLeft(run);
  }, 15 * 60_000);

  it("a team's own fleet as pods: the payments scorer (Python) and ledger (Java) from their Dockerfiles; kill-scorer passes and the pods' events are journaled", async () => {
    const run = await drillViaCli(path.resolve('examples/payments/drills/kill-scorer.yaml'), ['--provider', 'kubernetes', '--runbook', runbookWithKubectl()], paymentsEnv());
    outputs.push(run.out);
    log(`payments kill-scorer: wall ${run.wallMs} ms, verdict ${run.result.verdict}, TTD ${run.result.ttdMs} ms, TTR ${run.result.ttrMs} ms`);
    expect(run.code, run.stderr.slice(-4000)).toBe(0);
    expect(run.result.verdict).toBe('passed');
    const killed = fleetEvents(run.events, 'instance.exited', 'scorer-1')[0]!;
    expect(killed.payload.detail).toMatchObject({ code: 137, signal: 'SIGKILL', expected: false, memoryLimitMb: 256 });
    expect(killed.payload.detail.container).toMatch(/^agent-scorer-1-\d+$/);
    // Each pod ran the team's own image, in the kubelet's words.
    const pulled = eventsOfType(run.events, 'platform.event').filter((e) => e.payload.reason === 'Pulled').map((e) => e.payload.message);
    expect(pulled.some((m) => m.includes('agentdrill-example/payments-scorer:dev'))).toBe(true);
    expect(pulled.some((m) => m.includes('agentdrill-example/payments-ledger:dev'))).toBe(true);
    // A kubectl step, as a team's runbook has it: the cluster's own kubectl, its context set to the drill's namespace.
    const pods = eventsOfType(run.events, 'step.finished').find((e) => e.payload.name === 'scorer-pods')!.payload;
    expect(pods.exitCode, pods.output).toBe(0);
    expect(pods.output).toMatch(/agent-scorer-1-\d+ +1\/1 +Running/);
    expect(pods.output).toMatch(/agent-scorer-2-\d+ +1\/1 +Running/);
    expect(pods.output).not.toContain('ledger');
    expect(run.result.integrity!.lost).toBe(0);
    expectNothingLeft(run);
  }, 15 * 60_000);

  it('SIGINT while the pods run: the drill ends interrupted (130), and no labelled object, cluster process, mount or folder is left', async () => {
    const run = startCli(['run', 'scenarios/kill-consumer.yaml', '--provider', 'kubernetes', '--out', path.join(tempDir('agentdrill-sigint-'), 'drill')], { env: orderPipelineDockerEnv() });
    try {
      // Mid-drill: every pod is up and the baseline is being judged.
      expect(await waitFor(() => /phase: (warmup|baseline)/.test(run.stderr()), 600_000), run.stderr().slice(-3000)).toBe(true);
      const pods = fs.readdirSync(path.join(clusterDir(run.stderr()), 'kubelet', 'pods'));
      expect(pods.length).toBe(8);
      run.child.kill('SIGINT');
      const { code } = await run.exit;
      expect(code, run.stderr().slice(-3000)).toBe(130);
      expectNothingLeft({ stderr: run.stderr(), marker: run.marker });
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 15 * 60_000);

  it('refuses a fault not yet drilled on kubernetes before anything starts (exit 2)', async () => {
    const before = fs.readdirSync('/tmp').filter((d) => d.startsWith('agentdrill-k8s-'));
    const resetPeer = scenarioVariant('downstream-backlog', { fault: { type: 'reset-peer', target: 'inventory-api' } });
    const refused = await runCli(['run', resetPeer, '--provider', 'kubernetes'], { env: orderPipelineDockerEnv() });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('has not been drilled on --provider kubernetes yet');
    expect(refused.stderr).not.toContain('Starting etcd');
    expect(fs.readdirSync('/tmp').filter((d) => d.startsWith('agentdrill-k8s-') && !before.includes(d))).toEqual([]);
  }, 120_000);
});
