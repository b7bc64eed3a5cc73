import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eventsOfType, type JournalEvent } from '../src/core/journal.ts';
import { readJournal, renderHtmlReport, renderJunit, writeJournal, type HistoryEntry, type JunitResult } from '../src/report/index.ts';
import { scoreDrill } from '../src/score/index.ts';
import { buildJournal } from '../test/unit/fixtures/journal-fixture.ts';

export interface ReportBench {
  samples: number;
  events: number;
  runs: number;
  /** The first render in this process, template compile included: what one drill pays. */
  htmlFirstMs: number;
  htmlMedianMs: number;
  htmlBytes: number;
  junitMedianMs: number;
  long: LongReportBench;
}

/**
 * Render time for the largest report a drill normally produces: 10 minutes sampled at 4 Hz, with
 * a year of weekly history behind it. The first render (template compile, JIT warm-up) is not
 * counted: a drill pays it once, and it would drown the figure that scales with journal size.
 */
export function benchReport(runs = 15): ReportBench {
  const events = buildJournal({ recoverAfterMs: 560_000, tailMs: 20_000, rebalance: { afterMs: 30_000, forMs: 2_000 }, score: scoreDrill });
  const score = eventsOfType(events, 'score').at(-1)!.payload;
  const history: HistoryEntry[] = Array.from({ length: 52 }, (_, i) => ({
    scenario: 'downstream-backlog',
    drillId: `week-${i}`,
    at: new Date(Date.UTC(2023, 0, 1 + i * 7)).toISOString(),
    verdict: 'passed',
    ttdMs: 8_000 + (i % 7) * 1_000,
    ttrMs: 40_000 + (i % 5) * 5_000,
    targets: score.targets,
  }));
  const results: JunitResult[] = [{ scenario: 'downstream-backlog', verdict: score.verdict, reasons: score.reasons, ttdMs: score.ttdMs, ttrMs: score.ttrMs, targets: score.targets, durationMs: events.at(-1)!.at - events[0]!.at }];

  const first = performance.now();
  let html = renderHtmlReport(events, { history });
  const htmlFirstMs = performance.now() - first;
  renderJunit(results);
  const htmlTimes = time(runs, () => (html = renderHtmlReport(events, { history })));
  const junitTimes = time(runs, () => renderJunit(results));
  return {
    samples: eventsOfType(events, 'sample').length,
    events: events.length,
    runs,
    htmlFirstMs,
    htmlMedianMs: median(htmlTimes),
    htmlBytes: Buffer.byteLength(html),
    junitMedianMs: median(junitTimes),
    long: benchLongReport(),
  };
}

export interface LongReportBench {
  samples: number;
  runs: number;
  htmlMedianMs: number;
  htmlBytes: number;
}

/** The longest drill a scenario allows (timeLimit 6 h) at 4 Hz, rendered: the chart's downsampling at work. */
export function benchLongReport(runs = 3): LongReportBench {
  const events = longJournal();
  let html = renderHtmlReport(events);
  const times = time(runs, () => (html = renderHtmlReport(events)));
  return { samples: eventsOfType(events, 'sample').length, runs, htmlMedianMs: median(times), htmlBytes: Buffer.byteLength(html) };
}

/**
 * `agentdrill report`'s read of that journal: written, then read, parsed and checked against the
 * journal schema. Once: it takes seconds and writes ~75 MB to the temp folder.
 */
export async function benchLongRead(): Promise<{ readMs: number; journalBytes: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'agentdrill-bench-report-'));
  try {
    const file = await writeJournal(dir, longJournal());
    const t = performance.now();
    await readJournal(file);
    return { readMs: performance.now() - t, journalBytes: (await stat(file)).size };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A drill of `hours` sampled at 4 Hz (6 h: 86 400 samples), as the journal fixture shapes one.
 * The fixture samples once a second here and each sample becomes four, 250 ms apart: building
 * 4 Hz directly pushes more events in one call than the call stack holds.
 */
export function longJournal(hours = 6): JournalEvent[] {
  const spanMs = hours * 3_600_000;
  // The fixture samples baseline (20 s) + recovery + window (10 s) + tail (20 s), plus one.
  const skeleton = buildJournal({ sampleIntervalMs: 1_000, recoverAfterMs: spanMs - 51_000, tailMs: 20_000 });
  const events: JournalEvent[] = [];
  for (const e of skeleton) {
    if (e.type === 'drill.started') events.push({ ...e, payload: { ...(e.payload as object), sampleIntervalMs: 250 } });
    else if (e.type === 'sample' || e.type === 'steady.evaluated') for (let k = 0; k < 4; k++) events.push({ ...e, at: e.at + k * 250 });
    else events.push(e);
  }
  events.splice(events.length - 1, 0, { type: 'score', at: events.at(-1)!.at, payload: scoreDrill(events) });
  return events;
}

function time(runs: number, fn: () => void): number[] {
  return Array.from({ length: runs }, () => {
    const t = performance.now();
    fn();
    return performance.now() - t;
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function formatReportBench(r: ReportBench, read?: { readMs: number; journalBytes: number }): string {
  const lines = [
    `report: ${r.samples} samples (${r.events} journal events, 10 min at 4 Hz), median of ${r.runs} runs`,
    `  html:  ${r.htmlMedianMs.toFixed(1)} ms (${(r.htmlBytes / 1024).toFixed(0)} KiB, with 52 drills of history; first render ${r.htmlFirstMs.toFixed(1)} ms)`,
    `  junit: ${r.junitMedianMs.toFixed(3)} ms`,
    `report, longest drill: ${r.long.samples} samples (6 h at 4 Hz), median of ${r.long.runs} runs`,
    `  html:  ${r.long.htmlMedianMs.toFixed(0)} ms (${(r.long.htmlBytes / 1024).toFixed(0)} KiB)`,
  ];
  if (read) lines.push(`  read:  ${read.readMs.toFixed(0)} ms (${(read.journalBytes / 1024 / 1024).toFixed(1)} MiB journal: read, parse, schema check)`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatReportBench(benchReport(), await benchLongRead()));
}
