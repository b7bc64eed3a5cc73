import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { AgentdrillError } from '../core/errors.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';
import { checkOutputs, type OutputTarget } from '../core/output-path.ts';
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
      // Flags first: a wrong --out should not wait for a long journal to be read and checked.
      await checkOutputs(flagTargets(opts));
      // The renderers (Handlebars, templates) load on use, not on every `agentdrill` start.
      const [{ readJournal, writeHtmlReport, writeSuiteIndex }, { suiteEntriesFromDir }] = await Promise.all([
        import('../report/index.ts'),
        import('../report/suite-scan.ts'),
      ]);
      if (journalFile !== undefined) {
        const journal = await readJournal(journalFile);
        const dir = opts.out ?? path.dirname(path.resolve(journalFile));
        // Next to the journal is checked only now: for `report /dev/zero` the journal is the problem.
        if (opts.out === undefined) await checkOutputs(reportTargets(dir, "the journal's folder"));
        const history = await historyFor(journalFile, journal.events);
        const file = await writeHtmlReport(dir, journal.events, { history });
        context.stdout.write(`${file}\n`);
      }
      if (opts.index !== undefined) {
        const warn = (file: string, why: string) => context.stderr.write(`agentdrill: warning: skipped ${file}: ${why}\n`);
        const file = await writeSuiteIndex(opts.index, await suiteEntriesFromDir(opts.index, warn));
        context.stdout.write(`${file}\n`);
      }
    });
}

const reportsFolder = 'pass the reports folder that holds <drill-id>/journal.json, e.g. --index reports';

function flagTargets(opts: { out?: string; index?: string }): OutputTarget[] {
  const targets = opts.out === undefined ? [] : reportTargets(opts.out, '--out');
  if (opts.index !== undefined) {
    const index = path.join(opts.index, 'index.html');
    targets.push(
      { label: '--index', option: '--index', path: opts.index, kind: 'folder', mustExist: true, missingHint: reportsFolder, inTheWay: reportsFolder },
      { label: 'index.html in --index', option: '--index', path: index, kind: 'file', derived: true, inTheWay: `move ${index} out of the way` },
    );
  }
  return targets;
}

/** The folder report.html goes into, and report.html itself. */
function reportTargets(dir: string, label: string): OutputTarget[] {
  const file = path.join(dir, 'report.html');
  return [
    { label, option: '--out', path: dir, kind: 'folder' },
    { label: `report.html in ${label}`, option: '--out', path: file, kind: 'file', derived: true, inTheWay: `move ${file} out of the way, or pass another --out` },
  ];
}

/** reports/<drill-id>/journal.json → reports/history.jsonl, when it exists. */
async function historyFor(journalFile: string, events: readonly JournalEvent[]): Promise<HistoryEntry[] | undefined> {
  const reportsDir = path.dirname(path.dirname(path.resolve(journalFile)));
  const scenario = eventsOfType(events, 'drill.started')[0]?.payload.scenario.name;
  if (scenario === undefined) return undefined;
  // readHistory reads a missing file as an empty history; here that means "no trend section".
  const present = await stat(path.join(reportsDir, historyFileName)).then(() => true, () => false);
  return present ? readHistory(reportsDir, scenario) : undefined;
}
