import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalEvent } from '../core/journal.ts';
import { pageTemplate, trustedSvg } from './templates.ts';
import { buildReportView, type ReportOptions } from './view-model.ts';

export type { ReportOptions } from './view-model.ts';

/**
 * One self-contained HTML file from the journal alone: inline CSS and SVG, no scripts, no network
 * (a CSP meta tag makes the browser enforce that). Text is escaped by Handlebars; the chart SVG
 * is escaped by its builder and inserted as-is. `history` adds the trend across past drills.
 */
export function renderHtmlReport(events: readonly JournalEvent[], options: ReportOptions = {}): string {
  const view = buildReportView(events, options);
  return pageTemplate('report.hbs')({
    ...view,
    chart: trustedSvg(view.chart),
    trend: view.trend && { ...view.trend, chart: trustedSvg(view.trend.chart) },
    verdictLabel: view.verdict.toUpperCase(),
  });
}

/** Writes `report.html` into `dir` (created if missing) and returns its path. */
export async function writeHtmlReport(dir: string, events: readonly JournalEvent[], options: ReportOptions = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'report.html');
  await writeFile(path, renderHtmlReport(events, options), 'utf8');
  return path;
}
