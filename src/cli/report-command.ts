import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { AgentdrillError } from '../core/errors.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';
import { historyFileName, readHistory, type HistoryEntry } from '../report/history.ts';
import type { CommandContext } from './main.ts';

/** Re-renders a past drill's HTML report from its journal alone, or a suite's index page. */
export function registerReportCommand(program: Command, context: CommandContext): void {
  program
    .command('report [journal]')
    .description("re-render a drill's HTML report from its journal.json, or a suite index with --index")
    .option('--out <dir>', 'where to write report.html (default: next to the journal)')
    .option('--index <dir>', 'write <dir>/index.html: one row per scenario, its latest drill under <dir>/*/journal.json')
    .addHelpText(
      'after',
      `
The trend across past drills is included when the reports folder (the journal's folder's parent)
holds ${historyFileName}.

Examples:
  $ agentdrill report reports/<drill>/journal.json
  $ agentdrill report --index reports`,
    )
    .action(async (journalFile: string | undefined, opts: { out?: string; index?: string }) => {
      if (journalFile === undefined && opts.index === undefined) {
        throw new AgentdrillError('USAGE', 'report needs a journal.json or --index <dir>', { hint: 'agentdrill report reports/<drill>/journal.json' });
      }
      // The renderers (Handlebars, templates) load on use, not on every `agentdrill` start.
      const [{ readJournal, writeHtmlReport, writeSuiteIndex }, { suiteEntriesFromDir }] = await Promise.all([
        import('../report/index.ts'),
        import('../report/suite-scan.ts'),
      ]);
      if (journalFile !== undefined) {
        const journal = await readJournal(journalFile);
        const history = await historyFor(journalFile, journal.events);
        const file = await writeHtmlReport(opts.out ?? path.dirname(path.resolve(journalFile)), journal.events, { history });
        context.stdout.write(`${file}\n`);
      }
      if (opts.index !== undefined) {
        const file = await writeSuiteIndex(opts.index, await suiteEntriesFromDir(opts.index));
        context.stdout.write(`${file}\n`);
      }
    });
}

/** reports/<drill-id>/journal.json → reports/history.jsonl, when it exists. */
async function historyFor(journalFile: string, events: readonly JournalEvent[]): Promise<HistoryEntry[] | undefined> {
  const reportsDir = path.dirname(path.dirname(path.resolve(journalFile)));
  const scenario = eventsOfType(events, 'drill.started')[0]?.payload.scenario.name;
  if (scenario === undefined) return undefined;
  try {
    await access(path.join(reportsDir, historyFileName));
  } catch {
    return undefined;
  }
  return readHistory(reportsDir, scenario);
}
