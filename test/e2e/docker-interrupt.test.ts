import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { JournalFile } from '../../src/core/journal.ts';
import { labelled } from '../../src/infra/docker/gc.ts';
import { processesWithMarker, startCli, waitFor } from '../helpers/cli.ts';
import { orderPipelineDockerEnv, scenarioVariant } from '../helpers/scenario-variant.ts';

/** The drill id from the progress line naming the drill's network (`agentdrill-<id>-net` or similar). */
function drillIdFrom(stderr: string): string | undefined {
  const network = /containers on (agentdrill-[\w.-]+?)…/.exec(stderr)?.[1];
  if (!network) return undefined;
  return execFileSync('docker', ['network', 'inspect', '--format', '{{index .Labels "agentdrill.drill"}}', network], { encoding: 'utf8' }).trim();
}

// Agent containers cannot watch the harness's pid the way local children do: only the harness's
// own teardown removes them, so a signal must reach that teardown on every path.
describe('a signal during a Docker drill', () => {
  it('SIGINT once the fleet runs in containers: exit 130, partial journal, no labelled container or network left', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-docker-int-'));
    const run = startCli(['run', scenarioVariant('downstream-backlog', { provider: 'docker' }), '--out', out], {
      env: { AGENTDRILL_DOCKER_AGENTS: 'container', ...orderPipelineDockerEnv() },
    });
    onTestFinished(() => {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      rmSync(out, { recursive: true, force: true });
    });
    expect(await waitFor(() => run.stderr().includes('phase: baseline'), 240_000), run.stderr()).toBe(true);
    const drillId = drillIdFrom(run.stderr());
    expect(drillId).toBeTruthy();
    const during = (await labelled(drillId!)).containers;
    expect(during.some((n) => n.endsWith('-kafka'))).toBe(true);
    // The fleet file's four agents (the inventory API's stand-in runs as a process).
    expect(during.filter((n) => n.includes('-agent-')).length).toBeGreaterThanOrEqual(4);

    run.child.kill('SIGINT');
    const { code } = await run.exit;
    expect(code, run.stderr().slice(-3000)).toBe(130);
    const left = await labelled(drillId!);
    expect(left.containers).toEqual([]);
    expect(left.networks).toEqual([]);
    expect(processesWithMarker(run.marker)).toEqual([]);
    const journal = JSON.parse(readFileSync(path.join(out, 'journal.json'), 'utf8')) as JournalFile;
    expect(journal.events.some((e) => e.type === 'phase.started' && (e.payload as { phase: string }).phase === 'teardown')).toBe(true);
  });

  it('SIGTERM while the Kafka container is still starting: the half-made environment is removed too', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-docker-term-'));
    const run = startCli(['run', scenarioVariant('downstream-backlog', { provider: 'docker' }), '--out', out]);
    onTestFinished(() => {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      rmSync(out, { recursive: true, force: true });
    });
    expect(await waitFor(() => /containers on agentdrill-/.test(run.stderr()), 240_000), run.stderr()).toBe(true);
    const drillId = drillIdFrom(run.stderr());
    expect(drillId).toBeTruthy();
    // The network exists from here on; the containers are being created.
    expect((await labelled(drillId!)).networks.length).toBe(1);

    run.child.kill('SIGTERM');
    const { code } = await run.exit;
    expect(code, run.stderr().slice(-3000)).toBe(130);
    const left = await labelled(drillId!);
    expect(left.containers).toEqual([]);
    expect(left.networks).toEqual([]);
    expect(processesWithMarker(run.marker)).toEqual([]);
  });
});
