import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isAgentdrillError } from '../core/errors.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';
import { scoreDrill } from '../score/index.ts';
import { readJournal } from './journal-file.ts';
import type { SuiteEntry } from './suite-index.ts';

/** Told once per journal that was skipped, with the path and why, on one line. */
export type SkipWarning = (journalPath: string, why: string) => void;

/**
 * Suite rows for the drills under `reportsDir/<drill-id>/journal.json`: the latest drill of each
 * scenario, by start time. Folders without a journal are skipped quietly (a reports folder also
 * holds screenshots and half-written drills); a journal that cannot be used is skipped with a
 * warning, so one damaged drill neither hides the others nor goes unnoticed.
 */
export async function suiteEntriesFromDir(reportsDir: string, warn: SkipWarning = () => {}): Promise<SuiteEntry[]> {
  const dirs = (await readdir(reportsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const latest = new Map<string, { at: number; entry: SuiteEntry }>();
  for (const name of dirs) {
    const journalPath = join(reportsDir, name, 'journal.json');
    const events = await usableJournal(journalPath, warn);
    const started = events && eventsOfType(events, 'drill.started')[0];
    if (!events) continue;
    if (!started) {
      warn(journalPath, 'the journal has no drill.started event, so it names no scenario');
      continue;
    }
    const score = eventsOfType(events, 'score').at(-1)?.payload ?? scoreDrill(events);
    const scenario = started.payload.scenario.name;
    const entry: SuiteEntry = {
      scenario,
      verdict: score.verdict,
      ttdMs: score.ttdMs,
      ttrMs: score.ttrMs,
      targets: score.targets,
      reportPath: join(reportsDir, name, 'report.html'),
      journalPath,
    };
    const seen = latest.get(scenario);
    if (!seen || started.at >= seen.at) latest.set(scenario, { at: started.at, entry });
  }
  return [...latest.values()].map((v) => v.entry).sort((a, b) => a.scenario.localeCompare(b.scenario));
}

/** The journal's events; undefined when there is none (quietly) or it cannot be used (warned). */
async function usableJournal(journalPath: string, warn: SkipWarning): Promise<readonly JournalEvent[] | undefined> {
  const present = await stat(journalPath).then(() => true, (e: NodeJS.ErrnoException) => e.code !== 'ENOENT');
  if (!present) return undefined;
  try {
    return (await readJournal(journalPath)).events;
  } catch (e) {
    if (!isAgentdrillError(e)) throw e;
    const first = e.problems[0];
    const total = typeof e.context.problemCount === 'number' ? e.context.problemCount : e.problems.length;
    const more = total > 1 ? ` (and ${total - 1} more)` : '';
    warn(journalPath, `${first ? first.message : e.message.replace(`${journalPath} `, '')}${more} [${e.code}]`);
    return undefined;
  }
}
