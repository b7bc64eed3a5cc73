import { pathToFileURL } from 'node:url';
import { eventsOfType } from '../src/core/journal.ts';
import { renderHtmlReport, renderJunit, type HistoryEntry, type JunitResult } from '../src/report/index.ts';
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
  };
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

export function formatReportBench(r: ReportBench): string {
  return [
    `report: ${r.samples} samples (${r.events} journal events, 10 min at 4 Hz), median of ${r.runs} runs`,
    `  html:  ${r.htmlMedianMs.toFixed(1)} ms (${(r.htmlBytes / 1024).toFixed(0)} KiB, with 52 drills of history; first render ${r.htmlFirstMs.toFixed(1)} ms)`,
    `  junit: ${r.junitMedianMs.toFixed(3)} ms`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatReportBench(benchReport()));
}
