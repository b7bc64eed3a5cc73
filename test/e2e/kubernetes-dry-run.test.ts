import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanView } from '../../src/drill/plan-view.ts';
import { repoRoot, runWatchingChildren } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// No cluster is needed: a dry run under kubernetes lists the objects and starts nothing, not even the cluster.
describe('run --dry-run --provider kubernetes', () => {
  it('lists the namespace and every pod the drill would create, with their labels and limits, and starts no process', async () => {
    const tmp = tempDir('agentdrill-k8s-dry-');
    const scenario = path.join(repoRoot, 'scenarios', 'kill-consumer.yaml');
    const run = await runWatchingChildren(['run', '--dry-run', '--json', scenario, '--provider', 'kubernetes'], { env: { TMPDIR: tmp } });
    expect(run.code, run.stderr).toBe(0);
    // No kubelet, containerd, control plane, Kafka or agent was started, and no work dir made.
    expect(run.children).toEqual([]);
    expect(fs.readdirSync(tmp).filter((n) => !/^tsx-\d+$/.test(n))).toEqual([]);
    const plan = JSON.parse(run.stdout) as PlanView;
    const k = plan.kubernetes!;
    const drill = { 'app.kubernetes.io/managed-by': 'agentdrill', 'agentdrill.io/drill': plan.drillId };
    expect(k.namespace).toEqual({ name: `agentdrill-${plan.drillId}`, labels: { ...drill, 'agentdrill.io/drills': 'allowed' } });
    // The scenario's five inventory instances and one of each other agent, each labelled for the leak check.
    expect(k.pods.map((p) => p.name)).toEqual([1, 2, 3, 4, 5].map((n) => `agent-inventory-${n}-N`).concat(['agent-decision-1-N', 'agent-fulfillment-1-N', 'agent-sink-1-N']));
    for (const pod of k.pods) expect(pod.labels).toMatchObject({ ...drill, 'agentdrill.io/agent': pod.agent });
    expect(k.pods.find((p) => p.agent === 'fulfillment')!.memoryLimit).toMatch(/^\d+Mi$/);
    expect(k.removal).toContain(`agentdrill.io/drill=${plan.drillId}`);
  });

  it("shows a team's fleet the same way: the payments images, with the memory limits from its fleet file", async () => {
    const run = await runWatchingChildren(['run', '--dry-run', path.join(repoRoot, 'examples', 'payments', 'drills', 'fraud-api-latency.yaml'), '--provider', 'kubernetes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.children).toEqual([]);
    expect(run.stdout).toMatch(/pod agent-scorer-2-N: image agentdrill-example\/payments-scorer:dev, memory limit \d+Mi/);
    expect(run.stdout).toMatch(/pod agent-ledger-1-N: image agentdrill-example\/payments-ledger:dev/);
    expect(run.stdout).not.toContain('agent-scorer-3-N');
    expect(run.stdout).toContain("dependency fraud-api's stand-in, as a process on the machine");
    expect(run.stdout).toContain('nothing was started (--dry-run)');
  });
});
