import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { eventsOfType } from '../core/journal.ts';
import { scoreDrill } from '../score/index.ts';
import { readJournal } from './journal-file.ts';
import type { SuiteEntry } from './suite-index.ts';

/**
 * Suite rows for the drills under `reportsDir/<drill-id>/journal.json`: the latest drill of each
 * scenario, by start time. Folders without a journal, or with one that does not parse, are
 * skipped: a reports folder also holds screenshots, history and half-written drills.
 */
export async function suiteEntriesFromDir(reportsDir: string): Promise<SuiteEntry[]> {
  const dirs = (await readdir(reportsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const latest = new Map<string, { at: number; entry: SuiteEntry }>();
  for (const name of dirs) {
    const journalPath = join(reportsDir, name, 'journal.json');
    const events = await readJournal(journalPath).then((j) => j.events, () => undefined);
    const started = events && eventsOfType(events, 'drill.started')[0];
    if (!events || !started) continue;
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
