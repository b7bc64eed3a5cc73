import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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
  it('exits 0 for the shipped runbooks (the default files), in compiler-style text, saying how each page was read', async () => {
    const run = await runCli(['validate']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${path.join('runbooks', 'order-pipeline.md')}: read as a service runbook (oncall profile)\n1 runbook(s): 0 error(s), 0 warning(s)\n`);
  });

  it('exits 0 for the shipped runbook checked against its scenario', async () => {
    const run = await runCli(['validate', '--scenario', scenario, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ profile: 'oncall', runbooks: [{ file: path.join('runbooks', 'order-pipeline.md'), kind: 'service', profile: 'oncall', unmappedHeadings: [] }], findings: [] });
  });

  it('validates the shipped runbooks clean against a scenario in the drill profile too', async () => {
    // Every scenario, both profiles: test/unit/runbook-lint-fixtures.test.ts (in process).
    for (const file of [scenario, path.join('examples', 'payments', 'drills', 'kill-scorer.yaml')]) {
      const run = await runCli(['validate', '--scenario', file, '--profile', 'drill', '--format', 'json']);
      expect(run.code, `${file}: ${run.stdout}${run.stderr}`).toBe(0);
      expect((JSON.parse(run.stdout) as { findings: unknown[] }).findings).toEqual([]);
    }
  });

  it('--profile drill adds what a drill needs; an alert page is read as one and not asked for Health', async () => {
    const page = path.join(fixtures, 'kafka-consumer-lag.md');
    const oncall = await runCli(['validate', page, '--format', 'json']);
    const drill = await runCli(['validate', page, '--profile', 'drill', '--format', 'json']);
    const parse = (out: string) => JSON.parse(out) as { profile: string; runbooks: { kind: string }[]; findings: JsonFinding[] };
    expect(oncall.code).toBe(0);
    expect(parse(oncall.stdout)).toMatchObject({ profile: 'oncall', runbooks: [{ kind: 'alert' }], findings: [] });
    expect(drill.code).toBe(1);
    const rules = new Set(parse(drill.stdout).findings.map((f) => f.rule));
    expect(rules).toContain('failure-mode-incomplete');
    expect(rules).toContain('step-no-time');
    expect(rules).not.toContain('missing-section');
    const bad = await runCli(['validate', page, '--profile', 'paranoid']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--profile');
  });

  it('finds every planted defect of the corpus through the CLI, and lists the headings it did not map', async () => {
    const corpus = path.join(fixtures, 'corpus');
    const manifest = parse(readFileSync(path.join(repoRoot, corpus, 'manifest.yaml'), 'utf8')) as { pages: { file: string; defects: { line: number; rule: string }[]; traps: { line: number }[] }[] };
    const run = await runCli(['validate', ...manifest.pages.map((p) => path.join(corpus, p.file)), '--format', 'json']);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as { runbooks: { file: string; unmappedHeadings: { title: string }[] }[]; findings: JsonFinding[] };
    for (const page of manifest.pages) {
      const file = path.join(corpus, page.file);
      const found = out.findings.filter((f) => f.file === file);
      for (const d of page.defects) expect(found.some((f) => f.line === d.line && f.rule === d.rule), `${file}:${d.line} ${d.rule}`).toBe(true);
      // A tool missing from this machine may add a warning; nothing else may land on a trap.
      for (const t of page.traps) expect(found.filter((f) => f.line === t.line && f.rule !== 'command-not-found'), `${file}:${t.line}`).toEqual([]);
    }
    expect(out.runbooks.find((r) => r.file.endsWith('alert-disk-pressure.md'))!.unmappedHeadings.map((h) => h.title)).toEqual(['Things we learned']);
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

  it('checks a scenario as a scenario (not as a fleet file): its fleet, failure mode and runbook as run would, every problem at its line', async () => {
    const payments = path.join('examples', 'payments', 'drills', 'kill-scorer.yaml');
    const good = await runCli(['validate', scenario, payments, '--format', 'json']);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    const out = JSON.parse(good.stdout) as { scenarios: { file: string; name: string; failureMode: string }[]; runbooks: { file: string; profile: string }[]; findings: unknown[] };
    expect(out.scenarios.map((s) => [s.file, s.name, s.failureMode])).toEqual([
      [scenario, 'downstream-backlog', 'downstream-backlog'],
      [payments, 'payments-kill-scorer', 'scorer-rebalance'],
    ]);
    // Each scenario's runbook, linted with the drill's profile against its own fleet.
    expect(out.runbooks.map((r) => [r.file, r.profile])).toEqual([
      [path.join('runbooks', 'order-pipeline.md'), 'drill'],
      [path.join('examples', 'payments', 'runbook.md'), 'drill'],
    ]);
    expect(out.findings).toEqual([]);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'validate-scenario-'));
    const bad = path.join(dir, 'drill.yaml');
    const text = readFileSync(path.join(repoRoot, 'scenarios', 'kill-consumer.yaml'), 'utf8').replaceAll('../', `${repoRoot}/`);
    writeFileSync(bad, text.replace('agent: inventory', 'agent: inventori').replace('#consumer-rebalance', '#consumer-rebalnce'));
    try {
      const run = await runCli(['validate', bad, '--format', 'json']);
      expect(run.code).toBe(2);
      const { error } = JSON.parse(run.stdout) as { error: { code: string; problems: { file: string; line: number }[] } };
      expect(error.code).toBe('SCENARIO_INVALID');
      const lines = text.split('\n');
      expect(error.problems.map((p) => [p.file, p.line])).toEqual([
        [bad, lines.findIndex((l) => l.includes('agent: inventory')) + 1],
        [bad, lines.findIndex((l) => l.includes('#consumer-rebalance')) + 1],
      ]);
      expect(run.stderr).not.toContain('    at ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
