import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { JournalFile } from '../../src/core/journal.ts';
import { processesWithMarker, repoRoot, startCli, waitFor } from '../helpers/cli.ts';

describe('Ctrl-C during a drill', () => {
  it('stops every child, removes its temp dir, writes the partial journal and exits 130', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-int-'));
    const run = startCli(['run', path.join(repoRoot, 'scenarios', 'downstream-backlog.yaml'), '--out', out]);
    onTestFinished(() => {
      if (run.child.exitCode === null) run.child.kill('SIGINT');
    });
    // Interrupt once the fleet is up and sampled: the moment with the most to tear down.
    const reachedBaseline = await waitFor(() => run.stderr().includes('phase: baseline'), 120_000);
    expect(reachedBaseline, run.stderr()).toBe(true);
    const during = processesWithMarker(run.marker);
    expect(during.some((p) => p.args.includes('kafka.Kafka'))).toBe(true);
    expect(during.some((p) => p.args.includes('src/reference-fleet/agents/'))).toBe(true);
    // The drill's work dir, as the broker's command line names it (config and data live in it).
    const kafkaArgs = readFileSync(`/proc/${during.find((p) => p.args.includes('kafka.Kafka'))!.pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    const workDir = /[^\s=]*\/agentdrill-downstream-backlog-\d{8}-\d{6}-[0-9a-f]+-[A-Za-z0-9]{6}/.exec(kafkaArgs)?.[0];
    expect(workDir, kafkaArgs).toBeTruthy();
    expect(existsSync(workDir!)).toBe(true);

    run.child.kill('SIGINT');
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(130);
    expect(processesWithMarker(run.marker)).toEqual([]);
    expect(existsSync(workDir!)).toBe(false);
    const journal = JSON.parse(readFileSync(path.join(out, 'journal.json'), 'utf8')) as JournalFile;
    expect(journal.events.some((e) => e.type === 'phase.started' && (e.payload as { phase: string }).phase === 'teardown')).toBe(true);
  });
});
