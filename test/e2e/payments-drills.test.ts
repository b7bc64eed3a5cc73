import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventsOfType } from '../../src/core/journal.ts';
import type { PlanView } from '../../src/drill/plan-view.ts';
import { repoRoot, runCli, runWatchingChildren } from '../helpers/cli.ts';
import { drillViaCli } from '../helpers/drill.ts';

/**
 * A fleet agentdrill did not write, drilled from its own files: examples/payments (a Python
 * scorer on confluent-kafka, a Java ledger on kafka-clients, an HTTP fraud stand-in), its
 * scenario and its runbook, through the CLI as a team runs it.
 */
const drill = path.join(repoRoot, 'examples/payments/drills/fraud-api-latency.yaml');
const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A copy of one of the example's drills, edited, with its fleet and runbook paths made absolute. */
function drillVariant(file: string, edit: (text: string) => string): string {
  const dir = tempDir('agentdrill-pay-variant-');
  const out = path.join(dir, path.basename(file));
  const examples = path.join(repoRoot, 'examples/payments');
  const text = fs.readFileSync(file, 'utf8').replace('../fleet.yaml', path.join(examples, 'fleet.yaml')).replace('../runbook.md', path.join(examples, 'runbook.md'));
  fs.writeFileSync(out, edit(text));
  return out;
}

describe('the payments example, drilled from its fleet file', () => {
  it('--dry-run prints every resolved target and starts nothing', async () => {
    const tmp = tempDir('agentdrill-dry-');
    const run = await runWatchingChildren(['run', '--dry-run', '--json', drill], { env: { TMPDIR: tmp } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.children).toEqual([]);
    // No drill work dir (provisioning, setup logs, agent state); tsx keeps its compile cache there.
    expect(fs.readdirSync(tmp).filter((n) => !/^tsx-\d+$/.test(n))).toEqual([]);
    const plan = JSON.parse(run.stdout) as PlanView;
    const prefix = plan.fleet.topics[0]!.drillTopic.replace(/payments\.requests$/, '');
    expect(prefix).toMatch(/^ad-[0-9a-f]{6}-$/);
    expect(plan.fleet).toMatchObject({ kind: 'file', name: 'payments' });
    expect(plan.fleet.agents.map((a) => [a.name, a.replicas, a.drillGroup])).toEqual([
      ['scorer', 2, `${prefix}scorer`],
      ['ledger', 1, `${prefix}ledger`],
    ]);
    expect(plan.fleet.dependencies).toEqual([{ name: 'fraud-api', runs: 'stand-in: python3 stand-ins/fraud_api.py', proxy: `${prefix}fraud-api` }]);
    expect(plan.fault).toMatchObject({ type: 'latency', hits: `dependency fraud-api, through Toxiproxy proxy ${prefix}fraud-api` });
    expect(plan.runbook.steps.map((s) => s.name)).toEqual(['time-fraud-api', 'scale-scorer', 'backlog-drained', 'escalate-1']);
  });

  it('refuses a fault on a dependency the fleet does not have, at its line, before anything starts (exit 2)', async () => {
    const bad = drillVariant(drill, (t) => t.replace('target: fraud-api ', 'target: fraud-ap '));
    const text = fs.readFileSync(bad, 'utf8');
    const run = await runCli(['run', bad, '--json']);
    expect(run.code).toBe(2);
    const line = text.split('\n').findIndex((l) => l.includes('fraud-ap ')) + 1;
    expect(run.stderr).toContain(`${bad}:${line}:`);
    expect(run.stderr).toContain('did you mean "fraud-api"');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('latency on the fraud API: detected on the scorer lag, scaled out by the runbook, recovered, nothing lost by stamp', async () => {
    const r = await drillViaCli(drill);
    console.log(`payments latency: wall ${r.wallMs} ms, TTD ${r.result.ttdMs} ms, TTR ${r.result.ttrMs} ms, integrity ${JSON.stringify(r.result.integrity)}`);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(r.result.verdict).toBe('passed');
    const { events } = r;
    const injected = eventsOfType(events, 'fault.injected')[0]!;
    expect(injected.payload.detail).toMatchObject({ target: 'fraud-api', latencyMs: 100 });
    // The team's programs ran: the Python scorer and the Java ledger, under the supervisor.
    const baseline = eventsOfType(events, 'sample').filter((e) => e.at < injected.at).at(-1)!.payload.agents;
    expect(Object.entries(baseline).map(([id, a]) => [id, a.agent, a.up]).sort()).toEqual([['ledger-1', 'ledger', true], ['scorer-1', 'scorer', true], ['scorer-2', 'scorer', true]]);
    const scaled = eventsOfType(events, 'fleet.event').find((e) => e.payload.type === 'fleet.scaled')!;
    expect(scaled.payload).toMatchObject({ agent: 'scorer', detail: { from: 2, to: 6 } });
    // The broker saw six members in the scorer group after the runbook's step.
    const members = eventsOfType(events, 'sample').filter((e) => e.at > scaled.at).map((e) => e.payload.groups.scorer?.members ?? 0);
    expect(Math.max(...members)).toBe(6);
    const steps = eventsOfType(events, 'step.finished').map((s) => [s.payload.name, s.payload.exitCode]);
    expect(steps).toEqual([['time-fraud-api', 0], ['scale-scorer', 0], ['backlog-drained', 0]]);
    // Loss judged by the stamp carried through both agents to payments.booked.
    const integrity = eventsOfType(events, 'integrity')[0]!.payload;
    expect(integrity).toMatchObject({ mode: 'stamped', lost: 0, readToEnd: true });
    expect(integrity.processed).toBe(integrity.produced);
    expect(integrity.produced).toBeGreaterThan(1000);
    expect(r.result.ttrMs!).toBeLessThanOrEqual(r.result.targets.recoverMs);
    // Which system, in which version, was drilled: in the journal and the report.
    const fleet = eventsOfType(events, 'drill.started')[0]!.payload.fleet!;
    expect(fleet).toMatchObject({ name: 'payments', file: path.join(repoRoot, 'examples/payments/fleet.yaml'), ratePerSec: 40, replicas: { scorer: 2, ledger: 1 } });
    expect(fleet.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fs.readFileSync(r.result.report!, 'utf8')).toContain(fleet.checksum);
  });

  it('fails, naming the recovery target, when the runbook only waits (negative control)', async () => {
    const dir = tempDir('agentdrill-pay-neg-');
    const runbook = path.join(dir, 'runbook.md');
    const source = fs.readFileSync(path.join(repoRoot, 'examples/payments/runbook.md'), 'utf8');
    const withoutRespond = source.replace(/#### Respond[\s\S]*?(?=#### Verify)/, '');
    expect(withoutRespond).not.toContain('scale-scorer');
    fs.writeFileSync(runbook, withoutRespond);
    // A short target: the fleet cannot recover without the scale-out, so waiting longer only costs time.
    const short = drillVariant(drill, (t) => t.replace('recoverWithin: 120s', 'recoverWithin: 30s'));
    const r = await drillViaCli(short, ['--runbook', runbook, '--no-validate']);
    expect(r.code).toBe(1);
    expect(r.result.verdict).toBe('failed');
    expect(r.result.reasons.join('\n')).toMatch(/^recover: /m);
    expect(r.result.ttdMs).not.toBeNull();
    expect(eventsOfType(r.events, 'fleet.event').some((e) => e.payload.type === 'fleet.scaled')).toBe(false);
  });

  const killScorer = path.join(repoRoot, 'examples/payments/drills/kill-scorer.yaml');

  it('kill-consumer on the Python scorer: its partitions stall until its session expires, the group rebalances and drains', async () => {
    const r = await drillViaCli(killScorer);
    console.log(`payments kill-scorer: wall ${r.wallMs} ms, TTD ${r.result.ttdMs} ms, TTR ${r.result.ttrMs} ms, figures ${JSON.stringify(r.result.faultFigures)}`);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(r.result.verdict).toBe('passed');
    const { events } = r;
    const injected = eventsOfType(events, 'fault.injected')[0]!;
    expect(injected.payload.detail).toMatchObject({ agent: 'scorer', instanceId: 'scorer-1', members: 2 });
    expect(String(injected.payload.detail.group)).toMatch(/^ad-[0-9a-f]{6}-scorer$/);
    const exit = eventsOfType(events, 'fleet.event').find((e) => e.payload.type === 'instance.exited' && e.payload.instanceId === 'scorer-1')!;
    expect(exit.payload.detail).toMatchObject({ signal: 'SIGKILL' });
    // The broker, not the harness, saw the group leave Stable and come back.
    const states = eventsOfType(events, 'group.state').filter((e) => e.payload.group === 'scorer' && e.at > injected.at);
    expect(states.some((e) => e.payload.to !== 'Stable')).toBe(true);
    expect(states.at(-1)!.payload.to).toBe('Stable');
    const { figures } = eventsOfType(events, 'fault.assessed')[0]!.payload;
    expect(figures).toMatchObject({ killed: 'scorer-1', rebalanceObserved: true });
    expect(eventsOfType(events, 'step.finished').map((s) => [s.payload.name, s.payload.exitCode])).toEqual([
      ['scorer-group-state', 0],
      ['hold-for-rebalance', 0],
      ['scorer-backlog-drained', 0],
    ]);
    expect(eventsOfType(events, 'integrity')[0]!.payload).toMatchObject({ mode: 'stamped', lost: 0 });
  });

  it('fails naming detect when the alert cannot fire (negative control)', async () => {
    const never = drillVariant(killScorer, (t) => `${t.replace('recoverWithin: 60s', 'recoverWithin: 20s')}alert: lag(group=scorer) > 1000000 for 1s\n`);
    const r = await drillViaCli(never);
    expect(r.code).toBe(1);
    expect(r.result.verdict).toBe('failed');
    expect(r.result.reasons.join('\n')).toMatch(/^detect: not detected/m);
    expect(eventsOfType(r.events, 'step.finished')).toEqual([]);
  });

  const stateRefused = path.join(repoRoot, 'examples/payments/drills/scorer-state-refused.yaml');

  it('corrupt-state on the Python scorer: it refuses its cut file on every restart until the runbook moves it aside', async () => {
    const r = await drillViaCli(stateRefused);
    console.log(`payments scorer-state-refused: wall ${r.wallMs} ms, TTD ${r.result.ttdMs} ms, TTR ${r.result.ttrMs} ms, figures ${JSON.stringify(r.result.faultFigures)}`);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(r.result.verdict).toBe('passed');
    const { events } = r;
    const injected = eventsOfType(events, 'fault.injected')[0]!;
    expect(injected.payload.detail).toMatchObject({ agent: 'scorer', instanceId: 'scorer-1', mode: 'truncate', restartedBeforeCorruption: false, files: 1 });
    expect(String(injected.payload.detail.stateFile)).toMatch(/\/state\/scorer-1\/totals\.json$/);
    expect(injected.payload.detail.bytesAfter).toBe(Math.floor(Number(injected.payload.detail.bytesBefore) / 2));
    // The team's program itself refused the file: exit 3, restart after restart, until the step.
    const exits = eventsOfType(events, 'fleet.event').filter((e) => e.payload.type === 'instance.exited' && e.payload.instanceId === 'scorer-1' && e.at > injected.at);
    const moved = eventsOfType(events, 'step.finished').find((s) => s.payload.name === 'move-refused-state-aside')!;
    const refusals = exits.filter((e) => e.payload.detail.code === 3);
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(refusals.every((e) => e.at < moved.payload.endedAt)).toBe(true);
    // ctl exec ran on both instances: only the cut file moved, the healthy one was left alone.
    expect(moved.payload.exitCode).toBe(0);
    expect(moved.payload.output).toMatch(/\[scorer-1\] exit 0\nmoved aside: .*scorer-1\/totals\.json/);
    expect(moved.payload.output).toMatch(/\[scorer-2\] exit 0\nstate readable/);
    const members = eventsOfType(events, 'sample').filter((e) => e.at > injected.at).map((e) => e.payload.groups.scorer?.members ?? 0);
    expect(Math.min(...members)).toBe(1);
    expect(members.at(-1)).toBe(2);
    const { figures } = eventsOfType(events, 'fault.assessed')[0]!.payload;
    expect(figures.stateMatchesLog).toMatch(/^not assessed/);
    expect(eventsOfType(events, 'integrity')[0]!.payload).toMatchObject({ mode: 'stamped', lost: 0 });
  });

  it('fails naming recovery when the runbook does not move the refused file (negative control)', async () => {
    const dir = tempDir('agentdrill-pay-state-neg-');
    const runbook = path.join(dir, 'runbook.md');
    const source = fs.readFileSync(path.join(repoRoot, 'examples/payments/runbook.md'), 'utf8');
    const withoutRespond = source.replace(/(### Scorer state refused[\s\S]*?)#### Respond[\s\S]*?(?=#### Verify)/, '$1');
    expect(withoutRespond).not.toContain('move-refused-state-aside');
    fs.writeFileSync(runbook, withoutRespond);
    const short = drillVariant(stateRefused, (t) => t.replace('recoverWithin: 90s', 'recoverWithin: 30s'));
    const r = await drillViaCli(short, ['--runbook', runbook, '--no-validate']);
    expect(r.code).toBe(1);
    expect(r.result.verdict).toBe('failed');
    expect(r.result.reasons.join('\n')).toMatch(/^recover: /m);
    // Still refusing at the end: nothing repaired it.
    const last = eventsOfType(r.events, 'fleet.event').filter((e) => e.payload.type === 'instance.exited' && e.payload.instanceId === 'scorer-1' && e.payload.detail.expected === false).at(-1)!;
    expect(last.payload.detail.code).toBe(3);
  });
});
