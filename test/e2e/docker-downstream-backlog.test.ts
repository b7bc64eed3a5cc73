import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { scenarioVariant } from '../helpers/scenario-variant.ts';

// The shipped drill, unchanged but for `provider: docker`: Kafka and Toxiproxy in containers
// (agents still local processes). Needs the engine `npm test` provides; never skipped.
it('downstream-backlog passes with provider: docker and leaves no labelled container or network', async () => {
  const scenario = scenarioVariant('downstream-backlog', { provider: 'docker' });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-docker-report-'));
  try {
    const result = await runCli(['run', scenario, '--out', out, '--json']);
    const json = JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    expect(JSON.stringify(json)).toContain('"lost":0');
    const list = (args: string[]) => execFileSync('docker', [...args, '--filter', 'label=agentdrill=1', '--format', '{{.ID}}'], { encoding: 'utf8' }).trim();
    expect(list(['ps', '-a'])).toBe('');
    expect(list(['network', 'ls'])).toBe('');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
