import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { longJournal } from '../../bench/report.ts';
import type { JournalEvent } from '../../src/core/journal.ts';
import { writeJournal } from '../../src/report/index.ts';
import { scoreDrill } from '../../src/score/index.ts';
import { repoRoot, runCli } from '../helpers/cli.ts';
import { scenarioVariant } from '../helpers/scenario-variant.ts';
import { buildJournal } from '../unit/fixtures/journal-fixture.ts';

/**
 * The CLI as a hostile user meets it: damaged journals, pipes and devices, output paths that
 * cannot be written. Each gets one message and exit 2 within the test's timeout; never a stack
 * trace, never a hang, never exit 4. The error's code is read from its `[CODE]` tag (or --json).
 */

const quick = 60_000;
// A check that wrongly passed would start a drill: against an external provider that is not
// there it ends at once (exit 4) instead of bringing anything up.
const nowhere = { AGENTDRILL_BOOTSTRAP_SERVERS: '127.0.0.1:9', AGENTDRILL_TOXIPROXY_URL: 'http://127.0.0.1:9' };
const shipped = path.join(repoRoot, 'scenarios', 'downstream-backlog.yaml');
const stackTrace = /\n\s+at .*:\d+/;
let dir: string;
let good: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'agentdrill-hostile-cli-'));
  good = await writeJournal(path.join(dir, 'reports', 'good'), buildJournal({ score: scoreDrill }));
  await symlink(path.join(dir, 'nowhere'), path.join(dir, 'dangling-out'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function journalWith(name: string, damage: (events: JournalEvent[]) => void): Promise<string> {
  const events = buildJournal({ score: scoreDrill });
  damage(events);
  return writeJournal(path.join(dir, 'reports', name), events);
}

async function expectInvalid(args: string[], code: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const run = await runCli(args, options);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`[${code}]`);
  expect(run.stderr).not.toMatch(stackTrace);
  return run;
}

describe('agentdrill report on damaged journals', () => {
  it.each([
    ['a null drill.started payload', (e: JournalEvent[]) => void (e[0]!.payload = null)],
    ['an empty drill.started payload', (e: JournalEvent[]) => void (e[0]!.payload = {})],
    ['an empty score', (e: JournalEvent[]) => void (e.find((x) => x.type === 'score')!.payload = {})],
    ['a timestamp near 1.7e308', (e: JournalEvent[]) => void (e[4]!.at = 1.7e308)],
  ])('%s is JOURNAL_INVALID (exit 2)', async (name, damage) => {
    await expectInvalid(['report', await journalWith(name.replaceAll(' ', '-'), damage)], 'JOURNAL_INVALID');
  }, quick);

  it('a FIFO, /dev/zero and a file over the size cap are INPUT_UNREADABLE, without reading them', async () => {
    const fifo = path.join(dir, 'journal.fifo');
    execFileSync('mkfifo', [fifo]);
    await expectInvalid(['report', fifo], 'INPUT_UNREADABLE');
    await expectInvalid(['report', '/dev/zero'], 'INPUT_UNREADABLE');
    // Sparse: 513 MiB on paper, nothing on disk.
    const huge = path.join(dir, 'huge.json');
    await writeFile(huge, '');
    await truncate(huge, 513 * 1024 * 1024);
    await expectInvalid(['report', huge], 'INPUT_UNREADABLE');
  }, quick);

  it('a history.jsonl that is a folder or a FIFO is INPUT_UNREADABLE', async () => {
    for (const make of [(p: string) => mkdir(p), (p: string) => execFileSync('mkfifo', [p])]) {
      const reports = await mkdtemp(path.join(dir, 'history-'));
      const journal = await writeJournal(path.join(reports, 'drill'), buildJournal());
      await make(path.join(reports, 'history.jsonl'));
      await expectInvalid(['report', journal], 'INPUT_UNREADABLE');
    }
  }, quick);
});

describe('agentdrill report --index', () => {
  it('skips a bad journal with one warning line naming it, and indexes the rest (exit 0)', async () => {
    const reports = await mkdtemp(path.join(dir, 'index-'));
    await writeJournal(path.join(reports, 'fine'), buildJournal({ score: scoreDrill }));
    const bad = buildJournal({ scenarioName: 'other' });
    bad[0]!.payload = null;
    const badFile = await writeJournal(path.join(reports, 'broken'), bad);
    const run = await runCli(['report', '--index', reports]);
    expect(run.code).toBe(0);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(badFile);
    expect(lines[0]).toContain('[JOURNAL_INVALID]');
    expect(run.stdout.trim()).toBe(path.join(reports, 'index.html'));
  }, quick);

  it('naming a file or a missing folder is OUTPUT_INVALID', async () => {
    await expectInvalid(['report', '--index', good], 'OUTPUT_INVALID');
    await expectInvalid(['report', '--index', path.join(dir, 'no-such-folder')], 'OUTPUT_INVALID');
  }, quick);
});

describe('output paths', () => {
  it('report --out an existing file, under /proc or /sys, or a dangling symlink is OUTPUT_INVALID', async () => {
    const dangling = path.join(dir, 'dangling-out');
    for (const out of [good, '/proc/agentdrill-report', '/sys/agentdrill-report', dangling]) await expectInvalid(['report', good, '--out', out], 'OUTPUT_INVALID');
  }, quick);

  const run = (args: string[], cwd?: string) => expectInvalid(['run', shipped, '--provider', 'external', ...args], 'OUTPUT_INVALID', { env: nowhere, cwd });

  // Each `run` loads the drill's modules (kafkajs, testcontainers): seconds apiece on a busy runner.
  it.each([
    ['--out under /proc', () => ['--out', '/proc/agentdrill-run']],
    ['--out an existing file', () => ['--out', good]],
    ['--out a dangling symlink', () => ['--out', path.join(dir, 'dangling-out')]],
    ['--junit a folder', () => ['--junit', dir]],
    ['--junit under /sys', () => ['--junit', '/sys/agentdrill.xml']],
  ])('run with %s is OUTPUT_INVALID before anything starts', async (_, args) => {
    const result = await run(args());
    expect(result.stderr).not.toContain('drill ');
  }, quick);

  it('run with the default reports folder being a file is OUTPUT_INVALID', async () => {
    const cwd = await mkdtemp(path.join(dir, 'cwd-'));
    await writeFile(path.join(cwd, 'reports'), 'not a folder');
    await run([], cwd);
  }, quick);
});

describe('agentdrill run on a suite with several invalid scenarios', () => {
  it('reports every scenario\'s problems at once, each under its own file and line (exit 2)', async () => {
    const suite = await mkdtemp(path.join(dir, 'suite-'));
    const a = scenarioVariant('downstream-backlog', { loadd: { rate: '60/s' } });
    const b = scenarioVariant('downstream-backlog', { 'load.rate': 'six' });
    await copyFile(a, path.join(suite, 'a.yaml'));
    await copyFile(b, path.join(suite, 'b.yaml'));
    const run = await runCli(['run', suite, '--json', '--provider', 'external', '--out', path.join(dir, 'suite-out')], { env: nowhere });
    expect(run.code).toBe(2);
    const error = (JSON.parse(run.stdout) as { error: { code: string; problems: { file: string; line?: number }[] } }).error;
    expect(error.code).toBe('SCENARIO_INVALID');
    for (const file of ['a.yaml', 'b.yaml']) {
      const mine = error.problems.filter((p) => p.file === path.join(suite, file));
      expect(mine.length).toBeGreaterThan(0);
      for (const p of mine) expect(p.line).toBeGreaterThan(0);
    }
  }, quick);
});

describe('a drill of the longest allowed length', () => {
  it('is re-rendered by agentdrill report (6 h at 4 Hz, 86 400 samples)', async () => {
    const journal = await writeJournal(path.join(dir, 'long', 'drill'), longJournal(6));
    const run = await runCli(['report', journal]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(path.join(dir, 'long', 'drill', 'report.html'));
  }, 120_000);
});
