import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendHistory, historyEntryFromJournal, readHistory, renderHtmlReport, type HistoryEntry } from '../../src/report/index.ts';
import { scoreDrill } from '../../src/score/index.ts';
import { buildJournal } from './fixtures/journal-fixture.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agentdrill-history-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const targets = { detectMs: 20_000, recoverMs: 90_000 };
const entry = (drillId: string, at: string, ttdMs: number | null, ttrMs: number | null, scenario = 'downstream-backlog'): HistoryEntry => ({
  scenario,
  drillId,
  at,
  verdict: ttdMs !== null && ttrMs !== null && ttdMs <= targets.detectMs ? 'passed' : 'failed',
  ttdMs,
  ttrMs,
  targets,
});

describe('appendHistory / readHistory', () => {
  it('appends one JSON line per drill and reads back one scenario, oldest first', async () => {
    const file = await appendHistory(join(dir, 'reports'), entry('q3', '2026-08-01T10:00:00.000Z', 9_000, 40_000));
    await appendHistory(join(dir, 'reports'), entry('other', '2026-01-01T10:00:00.000Z', 1, 2, 'consumer-crash'));
    await appendHistory(join(dir, 'reports'), entry('q1', '2026-02-01T10:00:00.000Z', 24_100, null));
    expect(file).toBe(join(dir, 'reports', 'history.jsonl'));
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2]!)).toEqual(entry('q1', '2026-02-01T10:00:00.000Z', 24_100, null));
    expect((await readHistory(join(dir, 'reports'), 'downstream-backlog')).map((e) => e.drillId)).toEqual(['q1', 'q3']);
  });

  it('is empty without a file, skips damaged lines, and keeps the last line per drill', async () => {
    expect(await readHistory(dir, 'downstream-backlog')).toEqual([]);
    await appendHistory(dir, entry('a', '2026-02-01T10:00:00.000Z', 1_000, 2_000));
    await appendFile(join(dir, 'history.jsonl'), '{"scenario":"downstream-backlog","drillId":"trunc\n[]\n{"scenario":"downstream-backlog"}\n\n');
    await appendHistory(dir, entry('a', '2026-02-01T10:00:00.000Z', 5_000, 6_000));
    expect(await readHistory(dir, 'downstream-backlog')).toEqual([entry('a', '2026-02-01T10:00:00.000Z', 5_000, 6_000)]);
  });

  it('refuses a history that is a folder or a FIFO as INPUT_UNREADABLE, without waiting on the pipe', async () => {
    await mkdir(join(dir, 'folder', 'history.jsonl'), { recursive: true });
    await expect(readHistory(join(dir, 'folder'), 'downstream-backlog')).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
    await mkdir(join(dir, 'fifo'));
    execFileSync('mkfifo', [join(dir, 'fifo', 'history.jsonl')]);
    await expect(readHistory(join(dir, 'fifo'), 'downstream-backlog')).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
  });

  it('builds the entry from a journal, with null for what was never measured', () => {
    const e = historyEntryFromJournal(buildJournal({ recoverAfterMs: null, score: scoreDrill }));
    expect(e).toEqual({ scenario: 'downstream-backlog', drillId: 'drill-0001', at: '2023-11-14T22:13:20.000Z', verdict: 'failed', ttdMs: 12_000, ttrMs: null, targets });
    expect(historyEntryFromJournal([])).toBeUndefined();
  });
});

describe('trend in the HTML report', () => {
  const history = [entry('q1', '2023-05-01T10:00:00.000Z', 24_100, 95_000), entry('q2', '2023-08-01T10:00:00.000Z', null, null), entry('x', '2023-08-02T10:00:00.000Z', 1, 1, 'other')];

  it('draws TTD and TTR across past drills plus this one, with the targets as reference lines', () => {
    const html = renderHtmlReport(buildJournal(), { history });
    expect(html).toContain('Trend: this scenario across drills');
    const trend = /<svg[^>]*class="timeline trend"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(trend).toContain('drills of this scenario, oldest first (3)');
    for (const metric of ['ttdMs', 'ttrMs']) expect(trend).toContain(`data-metric="${metric}"`);
    expect(trend.match(/<path class="target"/g)).toHaveLength(2);
    // 3 drills × 2 metrics + the legend's hollow dot; q2's figures sit hollow on the top edge; this drill's are the big dots.
    expect(trend.match(/<circle class="dot/g)).toHaveLength(7);
    expect(trend.match(/class="dot unmeasured"/g)).toHaveLength(3);
    expect(trend.match(/class="dot current"/g)).toHaveLength(2);
    expect(trend).toContain('q1 (2023-05-01, failed): time to detect 24.1s, target 20s');
    expect(html).not.toContain('>x<');
    expect(html).toMatch(/<tr class="current"><td>drill-0001 \(this drill\)<\/td><td>2023-11-14 22:13<\/td><td>passed<\/td><td><\/td><td class="num">12s \/ 20s<\/td><td class="num">45s \/ 90s<\/td><td class="versions">—<\/td><\/tr>/);
  });

  it('does not count this drill twice when the history already has it', () => {
    const withSelf = [...history, historyEntryFromJournal(buildJournal())!];
    expect(renderHtmlReport(buildJournal(), { history: withSelf })).toContain('oldest first (3)');
  });

  it('says the trend starts next time when this is the first drill, and is absent without a history', () => {
    expect(renderHtmlReport(buildJournal(), { history: [] })).toContain('The first drill of this scenario on record');
    expect(renderHtmlReport(buildJournal())).not.toContain('Trend:');
  });
});
