import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlanView } from '../../src/drill/plan-view.ts';
import { repoRoot, runCli, runWatchingChildren } from '../helpers/cli.ts';

/**
 * The release gate through the real CLI, as CI calls it: `--set` changes the payments fleet for
 * one run, a bad flag exits 2 naming itself before anything is read or started, and the dry run
 * shows what would be drilled, versions included.
 */
const drill = path.join(repoRoot, 'examples/payments/drills/fraud-api-latency.yaml');
const temps: string[] = [];
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('agentdrill run --set', () => {
  it('exits 2 on a path that is not settable, naming the flag, the path, the value and what is settable', async () => {
    const run = await runCli(['run', drill, '--set', 'agents.scorer.replicas=3', '--set', 'agents.scorer.imag=acme/scorer:1.5.0', '--json']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('--set: "agents.scorer.imag=acme/scorer:1.5.0": unknown key "imag" in agents.scorer');
    expect(run.stderr).toContain('settable: agents.<agent>.image, agents.<agent>.version, agents.<agent>.replicas, agents.<agent>.heap, agents.<agent>.command.env.<VAR>, topics.<topic>.partitions, load.rate (did you mean "image"?)');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const { error } = JSON.parse(run.stdout) as { error: { code: string; problems: { file: string }[] } };
    expect(error.code).toBe('USAGE');
    expect(error.problems).toEqual([expect.objectContaining({ file: '--set' })]);
  });

  it('exits 2 on an agent the fleet file does not declare, listing its agents', async () => {
    const run = await runCli(['run', drill, '--set', 'agents.scorre.replicas=3']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('--set: "agents.scorre.replicas=3": fleet payments has no agent "scorre"');
    expect(run.stderr).toContain('agents: scorer, ledger (did you mean "scorer"?)');
  });

  it('--dry-run fills ${instance.heapMb} with the heap as set, and only that reference', async () => {
    const scenario = path.join(repoRoot, 'scenarios/memory-growth.yaml');
    const run = await runCli(['run', '--dry-run', '--set', 'agents.fulfillment.heap=256MB', scenario]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('node --max-old-space-size=256 --import tsx src/reference-fleet/agents/fulfillment.ts');
    expect(run.stdout).not.toContain('${instance.heapMb}');
  });

  it('--dry-run prints the fleet as set: 3 scorer replicas and each agent’s version, and starts nothing', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-gate-dry-'));
    temps.push(tmp);
    const args = ['run', '--dry-run', '--set', 'agents.scorer.replicas=3', '--set', 'agents.scorer.image=acme/scorer:1.5.0', drill];
    const env = { TMPDIR: tmp, LEDGER_VERSION: '2.0.1' };
    const run = await runWatchingChildren(args, { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.children).toEqual([]);
    expect(fs.readdirSync(tmp).filter((n) => !/^tsx-\d+$/.test(n))).toEqual([]);
    const text = run.stdout;
    expect(text).toMatch(/ {4}agent scorer ×3, version 1\.5\.0 \(from its image tag\): \.build\/bin\/scorer; consumes requests/);
    expect(text).toMatch(/ {4}agent ledger ×1, version 2\.0\.1 \(from its image tag\): /);
    expect(text).toContain('    --set agents.scorer.replicas=3\n    --set agents.scorer.image=acme/scorer:1.5.0\n');
    expect(text).toContain('nothing was started (--dry-run)');

    // The same plan for scripts.
    const json = await runCli([...args.slice(0, 2), '--json', ...args.slice(2)], { env });
    expect(json.code, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as PlanView;
    expect(plan.fleet.agents.map((a) => [a.name, a.replicas, a.version, a.versionFrom])).toEqual([
      ['scorer', 3, '1.5.0', 'image'],
      ['ledger', 1, '2.0.1', 'image'],
    ]);
    expect(plan.fleet.overrides).toEqual(['agents.scorer.replicas=3', 'agents.scorer.image=acme/scorer:1.5.0']);
  });
});
