import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerReportCommand } from '../../src/cli/report-command.ts';
import type { CommandContext } from '../../src/cli/main.ts';
import { appendHistory, renderSuiteIndex, writeJournal, writeSuiteIndex, type SuiteEntry } from '../../src/report/index.ts';
import { scoreDrill } from '../../src/score/index.ts';
import { buildJournal } from './fixtures/journal-fixture.ts';

const realJournal = fileURLToPath(new URL('../fixtures/journals/downstream-backlog.json', import.meta.url));
const targets = { detectMs: 20_000, recoverMs: 90_000 };
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agentdrill-suite-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('suite index', () => {
  const entries = (): SuiteEntry[] => [
    { scenario: 'downstream-backlog', verdict: 'passed', ttdMs: 3_733, ttrMs: 14_247, targets, reportPath: join(dir, 'a 1', 'report.html'), journalPath: join(dir, 'a 1', 'journal.json') },
    { scenario: '<b>crash</b>', verdict: 'failed', ttdMs: 24_100, ttrMs: null, targets, reportPath: join(dir, 'b#2', 'report.html'), journalPath: join(dir, 'b#2', 'journal.json') },
  ];

  it('has one row per scenario linking to each report and journal relative to the index', async () => {
    const file = await writeSuiteIndex(dir, entries());
    expect(file).toBe(join(dir, 'index.html'));
    const html = await readFile(file, 'utf8');
    expect(html.match(/<tr class="suite-row/g)).toHaveLength(2);
    expect(html).toContain('<a href="a%201/report.html">downstream-backlog</a>');
    expect(html).toContain('<a href="b%232/journal.json">journal.json</a>');
    expect(html).toContain('&lt;b&gt;crash&lt;/b&gt;');
    expect(html).not.toContain('<b>crash');
    expect(html).toContain('data-verdict="failed"');
    expect(html).toContain('2 scenarios · 1 failed · 1 passed');
    expect(html).toMatch(/state-text-missed">24.1s <span class="target">\/ 20s/);
  });

  it('links upwards when a report lives outside the index folder, and says so when empty', () => {
    const html = renderSuiteIndex(join(dir, 'site'), entries());
    expect(html).toContain('href="../a%201/report.html"');
    expect(renderSuiteIndex(dir, [])).toContain('No drills in this suite.');
  });
});

let stderr: string[] = [];
function cli(args: string[]) {
  const out: string[] = [];
  stderr = [];
  const context = { exitCode: 0, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => stderr.push(s) } } as unknown as CommandContext;
  const program = new Command('agentdrill').exitOverride();
  registerReportCommand(program, context);
  return program.parseAsync(['node', 'agentdrill', ...args]).then(() => out.join(''));
}

describe('agentdrill report', () => {
  it('re-renders a report with the trend when the reports folder has a history', async () => {
    const drill = join(dir, 'reports', 'downstream-backlog-20261123-200519-a57c20');
    await mkdir(drill, { recursive: true });
    await cp(realJournal, join(drill, 'journal.json'));
    await appendHistory(join(dir, 'reports'), { scenario: 'downstream-backlog', drillId: 'earlier', at: '2026-08-01T10:00:00.000Z', verdict: 'failed', ttdMs: 24_100, ttrMs: 95_000, targets });
    expect(await cli(['report', join(drill, 'journal.json')])).toBe(`${join(drill, 'report.html')}\n`);
    const html = await readFile(join(drill, 'report.html'), 'utf8');
    expect(html).toContain('oldest first (2)');
    expect(html).toContain('data-verdict="passed"');
  });

  it('renders without a trend when there is no history, into --out', async () => {
    const out = join(dir, 'out');
    expect(await cli(['report', realJournal, '--out', out])).toBe(`${join(out, 'report.html')}\n`);
    expect(await readFile(join(out, 'report.html'), 'utf8')).not.toContain('Trend:');
  });

  it('--index writes an index of the latest drill per scenario found under the folder', async () => {
    const reports = join(dir, 'reports');
    await writeJournal(join(reports, 'old'), buildJournal({ detectAfterMs: 30_000, score: scoreDrill }));
    await writeJournal(join(reports, 'new'), buildJournal({ start: 1_800_000_000_000, score: scoreDrill }));
    await mkdir(join(reports, 'screenshots'));
    await writeFile(join(reports, 'history.jsonl'), '');
    expect(await cli(['report', '--index', reports])).toBe(`${join(reports, 'index.html')}\n`);
    const html = await readFile(join(reports, 'index.html'), 'utf8');
    expect(html.match(/<tr class="suite-row/g)).toHaveLength(1);
    expect(html).toContain('href="new/report.html"');
  });

  it('--index skips a damaged journal with one warning line naming it, and indexes the rest', async () => {
    const reports = join(dir, 'reports');
    await writeJournal(join(reports, 'good'), buildJournal({ score: scoreDrill }));
    const damaged = buildJournal({ scenarioName: 'other' });
    damaged[0]!.payload = null;
    await writeJournal(join(reports, 'bad'), damaged);
    await mkdir(join(reports, 'folder-journal', 'journal.json'), { recursive: true });
    expect(await cli(['report', '--index', reports])).toBe(`${join(reports, 'index.html')}\n`);
    const warnings = stderr.join('').trimEnd().split('\n');
    expect(warnings).toHaveLength(2);
    expect(warnings.find((w) => w.includes(join(reports, 'bad', 'journal.json')))).toContain('JOURNAL_INVALID');
    expect(warnings.find((w) => w.includes(join(reports, 'folder-journal', 'journal.json')))).toContain('INPUT_UNREADABLE');
    expect((await readFile(join(reports, 'index.html'), 'utf8')).match(/<tr class="suite-row/g)).toHaveLength(1);
  });

  it('--index naming a file or a missing folder is OUTPUT_INVALID', async () => {
    await writeFile(join(dir, 'file'), '');
    await expect(cli(['report', '--index', join(dir, 'file')])).rejects.toMatchObject({ code: 'OUTPUT_INVALID' });
    await expect(cli(['report', '--index', join(dir, 'missing')])).rejects.toMatchObject({ code: 'OUTPUT_INVALID' });
  });

  it('a history.jsonl that is a folder is INPUT_UNREADABLE, not a crash', async () => {
    const drill = join(dir, 'reports', 'drill');
    await writeJournal(drill, buildJournal());
    await mkdir(join(dir, 'reports', 'history.jsonl'));
    await expect(cli(['report', join(drill, 'journal.json')])).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
  });

  it('asks for a journal or --index', async () => {
    await expect(cli(['report'])).rejects.toMatchObject({ code: 'USAGE' });
  });
});
