import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.ts';

const fixtures = path.join('test', 'fixtures', 'runbooks');
const scenario = path.join('scenarios', 'downstream-backlog.yaml');

interface JsonFinding {
  file: string;
  line: number;
  column: number;
  rule: string;
  severity: string;
  message: string;
  hint: string;
}

describe('agentdrill validate', () => {
  it('exits 0 for the shipped runbooks (the default files), in compiler-style text', async () => {
    const run = await runCli(['validate']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+ runbook\(s\): 0 error\(s\), 0 warning\(s\)\n$/);
  });

  it('exits 0 for the shipped runbook checked against its scenario', async () => {
    const run = await runCli(['validate', '--scenario', scenario, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ findings: [] });
  });

  it('exits 1 with located findings for a runbook with errors, as JSON', async () => {
    const run = await runCli(['validate', path.join(fixtures, 'troubleshooting-guide.md'), '--format', 'json']);
    expect(run.code).toBe(1);
    const { findings } = JSON.parse(run.stdout) as { findings: JsonFinding[] };
    expect(findings.length).toBeGreaterThan(5);
    for (const f of findings) {
      expect(Object.keys(f)).toEqual(['file', 'line', 'column', 'rule', 'severity', 'message', 'hint']);
      expect(f.file).toBe(path.join(fixtures, 'troubleshooting-guide.md'));
      expect(['error', 'warning']).toContain(f.severity);
    }
    expect(findings.some((f) => f.rule === 'missing-file' && f.message.includes('./scripts/find-poison.sh'))).toBe(true);
  });

  it('prints file:line:col severity rule message, then the hint', async () => {
    const run = await runCli(['validate', path.join(fixtures, 'no-commands.md')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${path.join(fixtures, 'no-commands.md')}:1:1 error missing-section no "Health" section\n    hint: add "## Health"`);
  });

  it('exits 2 for usage errors: a bad --format, an unknown flag, a missing file', async () => {
    const badFormat = await runCli(['validate', '--format', 'yaml']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('--format');
    expect((await runCli(['validate', '--bogus'])).code).toBe(2);
    const missing = await runCli(['validate', 'runbooks/nope.md']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('RUNBOOK_NOT_FOUND');
  });
});

describe('agentdrill run validates the runbook first', () => {
  it('refuses a runbook with error findings (exit 2) before anything starts, naming the rule', async () => {
    const run = await runCli(['run', scenario, '--runbook', path.join(repoRoot, fixtures, 'troubleshooting-guide.md')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('RUNBOOK_INVALID');
    expect(run.stderr).toMatch(/troubleshooting-guide\.md:\d+:\d+: .*\[missing-file\]/);
    expect(run.stderr).toContain('--no-validate');
  });

  it('checks a fleet file: a summary when it is good, every problem at its line and exit 2 when not', async () => {
    const good = await runCli(['validate', 'examples/payments/fleet.yaml']);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('fleet "payments" ok: 2 agent(s) (scorer, ledger), 3 topic(s), 1 dependency');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'validate-fleet-'));
    const bad = path.join(dir, 'fleet.yaml');
    const text = readFileSync(path.join(repoRoot, 'examples/payments/fleet.yaml'), 'utf8');
    writeFileSync(bad, text.replace('consumes: { topic: scored }', 'consumes: { topic: score }').replace('${deps.fraud-api.url}', '${deps.fraud-ap.url}'));
    try {
      const run = await runCli(['validate', bad, '--format', 'json']);
      expect(run.code).toBe(2);
      const { error } = JSON.parse(run.stdout) as { error: { code: string; problems: { file: string; line: number; hint: string }[] } };
      expect(error.code).toBe('FLEET_INVALID');
      expect(error.problems.map((p) => [p.file, p.line])).toEqual([
        [bad, text.split('\n').findIndex((l) => l.includes('${deps.fraud-api.url}')) + 1],
        [bad, text.split('\n').findIndex((l) => l.includes('consumes: { topic: scored }')) + 1],
      ]);
      expect(run.stderr).not.toContain('    at ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
