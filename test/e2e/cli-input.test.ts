import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, repoRoot, runCli } from '../helpers/cli.ts';
import { scenarioVariant } from '../helpers/scenario-variant.ts';
import { tempDir } from '../helpers/temp-dir.ts';

function scenarioFile(text: string): string {
  const dir = tempDir('agentdrill-bad-');
  const file = path.join(dir, 'bad.yaml');
  writeFileSync(file, text);
  return file;
}

const shipped = path.join(repoRoot, 'scenarios', 'downstream-backlog.yaml');

describe('bad input: one clear message, file:line, exit 2, no stack trace', () => {
  it('rejects an unknown key at its line and names the allowed keys', async () => {
    const file = scenarioVariant('downstream-backlog', { loadd: { rate: '60/s' } });
    const run = await runCli(['run', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+: unknown key "loadd"`));
    expect(run.stderr).toContain('SCENARIO_INVALID');
    expect(run.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
  });

  it('rejects a wrong type quoting the value', async () => {
    const file = scenarioVariant('downstream-backlog', { 'load.rate': 'six' });
    const run = await runCli(['run', file, '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/:\d+:\d+: load\.rate: .*"six"/);
    // --json callers get the error as JSON on stdout as well.
    const parsed = JSON.parse(run.stdout) as { error: { code: string; problems: { line: number }[] } };
    expect(parsed.error.code).toBe('SCENARIO_INVALID');
    expect(parsed.error.problems[0]!.line).toBeGreaterThan(0);
  });

  it('rejects a runbook file that does not exist, at the runbook line', async () => {
    const file = scenarioFile(
      readShipped().replace(/^runbook: .*$/m, 'runbook: ./missing-runbook.md#downstream-backlog'),
    );
    const line = readShipped().split('\n').findIndex((l) => l.startsWith('runbook:')) + 1;
    const run = await runCli(['run', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:${line}:`);
    expect(run.stderr).toContain('missing-runbook.md');
  });

  it('rejects a --runbook override that does not exist', async () => {
    const run = await runCli(['run', shipped, '--runbook', '/nonexistent/runbook.md']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('RUNBOOK_NOT_FOUND');
  });

  it('rejects an unknown flag and a missing scenario as usage errors', async () => {
    expect((await runCli(['run', shipped, '--bogus'])).code).toBe(2);
    expect((await runCli(['run'])).code).toBe(2);
    expect((await runCli(['run', '/nonexistent/scenario.yaml'])).code).toBe(2);
  });

  it('prints no stack trace when its reader closes the pipe early', () => {
    const fixture = path.join(repoRoot, 'test', 'fixtures', 'runbooks', 'troubleshooting-guide.md');
    const run = spawnSync('sh', ['-c', `"${process.execPath}" "${cliPath}" validate "${fixture}" | head -n 2`], { encoding: 'utf8' });
    // The first line says how the page was read; the second is its first finding, after which head closes the pipe.
    expect(run.stdout.split('\n')[1]).toMatch(/troubleshooting-guide\.md:\d+:\d+ /);
    expect(run.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });

  it('teaches with --help', async () => {
    const run = await runCli(['run', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--runbook');
    expect(run.stdout).toMatch(/Exit codes: 0 passed, 1 failed, 2 invalid input/);
  });

  it('ctl outside a drill says there is no drill to control (exit 4)', async () => {
    const run = await runCli(['ctl', 'status'], { env: { AGENTDRILL_CONTROL_URL: '' } });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('CONTROL_UNREACHABLE');
  });
});

function readShipped(): string {
  return readFileSync(shipped, 'utf8');
}
