import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Verdict } from '../core/exit-codes.ts';
import { secondsOrDash } from './format.ts';
import { pageTemplate } from './templates.ts';

/** One scenario's drill in a suite. Paths are absolute or relative to the current directory. */
export interface SuiteEntry {
  scenario: string;
  verdict: Verdict;
  /** null or undefined: never measured (accepts both the --json result and a Score). */
  ttdMs: number | null | undefined;
  ttrMs: number | null | undefined;
  targets: { detectMs: number; recoverMs: number };
  reportPath: string;
  journalPath: string;
}

// The suite is as bad as its worst drill: an error hides what the drill would have shown.
const severity: Verdict[] = ['error', 'failed', 'inconclusive', 'passed'];

/** The suite page: one row per scenario, links relative to `dir` so the folder can be moved or published whole. */
export function renderSuiteIndex(dir: string, entries: readonly SuiteEntry[]): string {
  const verdict = severity.find((v) => entries.some((e) => e.verdict === v)) ?? 'inconclusive';
  const counts = severity.map((v) => ({ verdict: v, count: entries.filter((e) => e.verdict === v).length })).filter((c) => c.count > 0);
  const rows = entries.map((e) => ({
    scenario: e.scenario,
    verdict: e.verdict,
    ttd: figure(e.ttdMs, e.targets.detectMs),
    ttr: figure(e.ttrMs, e.targets.recoverMs),
    report: link(dir, e.reportPath),
    journal: link(dir, e.journalPath),
  }));
  return pageTemplate('index.hbs')({ verdict, verdictLabel: entries.length === 0 ? 'EMPTY' : verdict.toUpperCase(), counts, rows, total: entries.length, scenarioWord: entries.length === 1 ? 'scenario' : 'scenarios' });
}

/** Writes `index.html` into `dir` (created if missing) and returns its path. */
export async function writeSuiteIndex(dir: string, entries: readonly SuiteEntry[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'index.html');
  await writeFile(file, renderSuiteIndex(dir, entries), 'utf8');
  return file;
}

function figure(ms: number | null | undefined, targetMs: number): { value: string; target: string; state: string } {
  const state = ms === null || ms === undefined ? 'unmeasured' : ms <= targetMs ? 'met' : 'missed';
  return { value: secondsOrDash(ms ?? undefined), target: secondsOrDash(targetMs), state };
}

/** A relative URL: each segment percent-encoded, so a scenario named "a#b c" still links. */
function link(dir: string, file: string): string {
  return relative(resolve(dir), resolve(file)).split(sep).map(encodeURIComponent).join('/');
}
