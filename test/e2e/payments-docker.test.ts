import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error the example's setup is plain JavaScript, as a team's would be
import { setupPaymentsExample } from '../../examples/payments/setup.mjs';
import { eventsOfType, type JournalFile } from '../../src/core/journal.ts';
import { baseImageTag, ensureBaseImage } from '../../src/infra/docker/images/base-image.ts';
import { labelled } from '../../src/infra/docker/gc.ts';
import { repoRoot, runCli, runWatchingChildren } from '../helpers/cli.ts';
import { drillViaCli } from '../helpers/drill.ts';

/**
 * The payments fleet (a Python scorer and a Java ledger agentdrill did not write) under
 * --provider docker: both agents from the team's own Dockerfiles, built by the drill, run as
 * containers, and memory grown inside the scorer's container until the kernel kills it.
 */
const examples = path.join(repoRoot, 'examples/payments');
const memoryDrill = path.join(examples, 'drills/scorer-memory-growth.yaml');
// No registry answers here: the team's Dockerfiles take agentdrill's own Debian base as BASE.
const env = () => ({ PAYMENTS_PYTHON_BASE: baseImageTag(), PAYMENTS_JAVA_BASE: baseImageTag(), AGENTDRILL_DOCKER_AGENTS: 'container' });
const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
beforeAll(async () => {
  await ensureBaseImage(() => undefined);
  // The bad-input test copies the fleet file elsewhere, pointing at the example's built programs.
  await setupPaymentsExample({ log: () => undefined });
}, 600_000);
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

type Events = JournalFile['events'];
const exitsOf = (events: Events, agent: string) =>
  eventsOfType(events, 'fleet.event').filter((e) => e.payload.type === 'instance.exited' && e.payload.agent === agent && e.payload.detail.expected === false);

/** A copy of a drill or runbook of the example with its relative paths made absolute, edited. */
function variant(file: string, edit: (text: string) => string): string {
  const out = path.join(tempDir('agentdrill-pay-docker-'), path.basename(file));
  const text = fs.readFileSync(file, 'utf8').replace('../fleet.yaml', path.join(examples, 'fleet.yaml')).replace('../runbook.md', path.join(examples, 'runbook.md'));
  fs.writeFileSync(out, edit(text));
  return out;
}

async function expectNothingLeft(events: Events): Promise<void> {
  const left = await labelled(eventsOfType(events, 'drill.started')[0]!.payload.drillId);
  expect(left.containers).toEqual([]);
  expect(left.networks).toEqual([]);
}

describe('the payments fleet in containers, from its own Dockerfiles', () => {
  it('--dry-run under docker names each agent\'s image and what it is built from, and starts no process or container', async () => {
    const containersBefore = (await labelled()).containers;
    const run = await runWatchingChildren(['run', '--dry-run', memoryDrill], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.children).toEqual([]);
    expect((await labelled()).containers).toEqual(containersBefore);
    expect(run.stdout).toMatch(/agent scorer ×2.*: image agentdrill-example\/payments-scorer:dev \(built first from \.build\/scorer-image\)/);
    expect(run.stdout).toMatch(/agent ledger ×1.*: image agentdrill-example\/payments-ledger:dev \(built first from \.build\/ledger-image\)/);
    expect(run.stdout).toContain('nothing was started (--dry-run)');
  });

  it('memory growth in the scorer containers ends in the kernel OOM kill; the runbook raises the limit and the fleet recovers', async () => {
    const r = await drillViaCli(memoryDrill, [], env());
    console.log(`payments memory-growth (docker): wall ${r.wallMs} ms, TTD ${r.result.ttdMs} ms, TTR ${r.result.ttrMs} ms, figures ${JSON.stringify(r.result.faultFigures)}`);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(r.result.verdict).toBe('passed');
    const { events } = r;
    // Both team images were built by the drill and every agent ran as a container of one.
    expect(r.stderr).toMatch(/image: agentdrill-example\/payments-scorer:dev ready/);
    expect(r.stderr).toMatch(/image: agentdrill-example\/payments-ledger:dev ready/);
    const started = eventsOfType(events, 'fleet.event').filter((e) => e.payload.type === 'instance.started' && e.payload.agent !== 'fraud-api');
    expect(started.every((e) => String(e.payload.detail.container ?? '').includes('-agent-'))).toBe(true);
    // The kernel, not the harness, ended them: exit 137, judged an OOM kill by the engine's witnesses.
    const injected = eventsOfType(events, 'fault.injected')[0]!;
    expect(injected.payload.detail).toMatchObject({ target: 'scorer', variant: 'reactive', instances: ['scorer-1', 'scorer-2'] });
    const oomExits = exitsOf(events, 'scorer').filter((e) => e.payload.detail.oomKilled === true);
    expect(oomExits.length).toBeGreaterThanOrEqual(1);
    expect(oomExits[0]!.payload.detail).toMatchObject({ code: 137, memoryLimitMb: 256 });
    expect(exitsOf(events, 'ledger')).toEqual([]);
    const { figures } = eventsOfType(events, 'fault.assessed')[0]!.payload;
    expect(figures).toMatchObject({ oom: true, oomCause: 'kernel-oom-killer', oomExitCode: 137 });
    // The container's working set, near its 256 MB limit before the kill (never a whole machine's figure).
    expect(Number(figures.peakRssMb)).toBeGreaterThan(200);
    expect(Number(figures.peakRssMb)).toBeLessThanOrEqual(1024);
    // The runbook's restart took: the scorers came back under the larger limit.
    const raised = eventsOfType(events, 'fleet.event').filter((e) => e.payload.type === 'instance.restarted' && e.payload.agent === 'scorer' && e.payload.detail.manual === true);
    expect(raised.map((e) => e.payload.detail.memoryLimitMb)).toEqual([1024, 1024]);
    expect(eventsOfType(events, 'integrity')[0]!.payload).toMatchObject({ mode: 'stamped', lost: 0 });
    await expectNothingLeft(events);
  });

  it('fails naming recovery when the runbook does not raise the limit: the OOM kills go on (negative control)', async () => {
    const runbook = path.join(tempDir('agentdrill-pay-oom-neg-'), 'runbook.md');
    const source = fs.readFileSync(path.join(examples, 'runbook.md'), 'utf8');
    const withoutRespond = source.replace(/(### Scorer out of memory[\s\S]*?)#### Respond[\s\S]*?(?=#### Verify)/, '$1');
    expect(withoutRespond).not.toContain('raise-scorer-memory');
    fs.writeFileSync(runbook, withoutRespond);
    const short = variant(memoryDrill, (t) => t.replace('recoverWithin: 150s', 'recoverWithin: 45s'));
    const r = await drillViaCli(short, ['--runbook', runbook, '--no-validate'], env());
    expect(r.code, r.stderr.slice(-3000)).toBe(1);
    expect(r.result.verdict).toBe('failed');
    expect(r.result.reasons.join('\n')).toMatch(/^recover: /m);
    // Killed again after their restarts: the growth comes back with every new container.
    const oomExits = exitsOf(r.events, 'scorer').filter((e) => e.payload.detail.oomKilled === true);
    expect(new Set(oomExits.map((e) => e.payload.detail.container)).size).toBeGreaterThanOrEqual(3);
    await expectNothingLeft(r.events);
  });

  it('refuses, before anything starts, an image that is not there and memory growth without a container (exit 2, file and line)', async () => {
    const fleetText = fs.readFileSync(path.join(examples, 'fleet.yaml'), 'utf8');
    const dir = tempDir('agentdrill-pay-badimg-');
    // The ledger's build: removed, and its tag pointing at nothing the engine has or can pull.
    const badFleet = fleetText
      .replace('payments-ledger:${env.LEDGER_VERSION:-dev}', 'payments-ledger:no-such-tag-7')
      .replace(/\n {4}build:\n {6}context: \.build\/ledger-image.*\n.*\n.*\n/, '\n')
      .replace(/argv: \[\.build/g, `argv: [${examples}/.build`)
      .replace('argv: [node, setup.mjs]', `argv: [node, ${examples}/setup.mjs]`)
      .replace('argv: [python3, stand-ins/', `argv: [python3, ${examples}/stand-ins/`)
      .replace('context: .build/scorer-image', `context: ${examples}/.build/scorer-image`)
      .replace('dockerfile: ../../agents/scorer/Dockerfile', `dockerfile: ${examples}/agents/scorer/Dockerfile`);
    expect(badFleet).toContain('no-such-tag-7');
    const fleetFile = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(fleetFile, badFleet);
    const drill = path.join(dir, 'drill.yaml');
    fs.writeFileSync(drill, fs.readFileSync(memoryDrill, 'utf8').replace('../fleet.yaml', fleetFile).replace('../runbook.md', path.join(examples, 'runbook.md')));
    const started = Date.now();
    const bad = await runCli(['run', drill, '--json'], { env: env() });
    expect(bad.code, bad.stderr).toBe(2);
    const imageLine = badFleet.split('\n').findIndex((l) => l.includes('no-such-tag-7')) + 1;
    expect(bad.stderr).toContain(`${fleetFile}:${imageLine}:`);
    expect(bad.stderr).toContain('add build:');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    // The growth needs the container: under the local provider the scenario is refused at its fault.
    const local = await runCli(['run', memoryDrill, '--provider', 'local', '--json'], { env: env() });
    expect(local.code).toBe(2);
    const faultLine = fs.readFileSync(memoryDrill, 'utf8').split('\n').findIndex((l) => l.includes('type: memory-growth')) + 1;
    expect(local.stderr).toContain(`${memoryDrill}:${faultLine}:`);
    expect(local.stderr).toContain('--provider docker');
    console.log(`bad image and local memory-growth refused in ${Date.now() - started} ms`);
  });
});
