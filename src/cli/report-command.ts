import path from 'node:path';
import type { Command } from 'commander';
import { readJournal, writeHtmlReport } from '../report/index.ts';
import type { CommandContext } from './main.ts';

/** Re-renders a past drill's HTML report from its journal alone. */
export function registerReportCommand(program: Command, context: CommandContext): void {
  program
    .command('report <journal>')
    .description("re-render a drill's HTML report from its journal.json")
    .option('--out <dir>', 'where to write report.html (default: next to the journal)')
    .action(async (journalFile: string, opts: { out?: string }) => {
      const journal = await readJournal(journalFile);
      const file = await writeHtmlReport(opts.out ?? path.dirname(path.resolve(journalFile)), journal.events);
      context.stdout.write(`${file}\n`);
    });
}
