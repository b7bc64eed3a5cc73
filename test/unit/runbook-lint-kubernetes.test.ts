import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintContextFor } from '../../src/runbook/lint/context.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import { repoRoot } from '../helpers/cli.ts';

describe('a runbook linted for the provider it runs on', () => {
  it('under kubernetes, kubectl and KUBECONFIG / AGENTDRILL_NAMESPACE are the drill\'s to give; elsewhere they are not', async () => {
    const scenario = await loadScenario(path.join(repoRoot, 'examples', 'payments', 'drills', 'kill-scorer.yaml'));
    const runbook = scenario.runbook.file;
    // An empty PATH: whatever this machine has installed must not decide it.
    const local = lintContextFor(runbook, { scenario: { ...scenario, provider: 'local' }, pathVar: '' });
    const kube = lintContextFor(runbook, { scenario: { ...scenario, provider: 'kubernetes' }, pathVar: '' });
    expect([local.commandExists('kubectl'), local.isBound('KUBECONFIG'), local.isBound('AGENTDRILL_NAMESPACE')]).toEqual([false, false, false]);
    expect([kube.commandExists('kubectl'), kube.isBound('KUBECONFIG'), kube.isBound('AGENTDRILL_NAMESPACE')]).toEqual([true, true, true]);
    expect(kube.isBound('SCORER_GROUP')).toBe(true);
    expect(kube.commandExists('helm')).toBe(false);
  });
});
