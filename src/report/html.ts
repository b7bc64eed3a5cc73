import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { JournalEvent } from '../core/journal.ts';
import { buildReportView } from './view-model.ts';

type Render = (context: unknown) => string;
let compiled: Render | undefined;

// Compiled once per process, on first use: reports are rendered at the end of a drill, never on a hot path.
function template(): Render {
  if (compiled) return compiled;
  const hbs = Handlebars.create();
  const load = (name: string) => readFileSync(new URL(`./templates/${name}`, import.meta.url), 'utf8');
  hbs.registerPartial('styles', load('styles.hbs'));
  compiled = hbs.compile(load('report.hbs'), { strict: false, preventIndent: true });
  return compiled;
}

/**
 * One self-contained HTML file from the journal alone: inline CSS and SVG, no scripts, no network
 * (a CSP meta tag makes the browser enforce that). Text is escaped by Handlebars; the chart SVG
 * is escaped by its builder and inserted as-is.
 */
export function renderHtmlReport(events: readonly JournalEvent[]): string {
  const view = buildReportView(events);
  return template()({
    ...view,
    chart: view.chart === undefined ? undefined : new Handlebars.SafeString(view.chart),
    verdictLabel: view.verdict.toUpperCase(),
  });
}

/** Writes `report.html` into `dir` (created if missing) and returns its path. */
export async function writeHtmlReport(dir: string, events: readonly JournalEvent[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'report.html');
  await writeFile(path, renderHtmlReport(events), 'utf8');
  return path;
}
