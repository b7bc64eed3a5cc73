import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { AgentdrillError } from '../core/errors.ts';
import { checkOutputs } from '../core/output-path.ts';
import type { CommandContext } from './main.ts';

/** `agentdrill export promtool <journal.json>`: a drill's detection as a `promtool test rules` file. */
export function registerExportCommand(program: Command, context: CommandContext): void {
  const exportCommand = program.command('export').description('write what a past drill showed in another tool\'s format');
  exportCommand
    .command('promtool <journal>')
    .description('write a `promtool test rules` file from a Prometheus-detected drill: its recorded series, the alert not firing at injection and firing when it fired')
    .option('--out <file>', 'where to write it (default: promtool-test.yml next to the journal)')
    .addHelpText(
      'after',
      `
The test names the drill's rule files relative to where it is written; keep it beside them in CI:
  $ agentdrill export promtool reports/<drill>/journal.json --out monitoring/tests/backlog.test.yml
  $ promtool test rules monitoring/tests/backlog.test.yml`,
    )
    .action(async (journalFile: string, opts: { out?: string }) => {
      const out = path.resolve(opts.out ?? path.join(path.dirname(path.resolve(journalFile)), 'promtool-test.yml'));
      await checkOutputs([{ label: opts.out ? '--out' : 'promtool-test.yml next to the journal', option: '--out', path: out, kind: 'file' }]);
      const [{ readJournal }, { promtoolTestFromJournal }] = await Promise.all([import('../report/index.ts'), import('../export/promtool-test.ts')]);
      const journal = await readJournal(journalFile);
      const test = promtoolTestFromJournal(journal.events, out, journalFile);
      await writeFile(out, test.text).catch((e: unknown) => {
        throw new AgentdrillError('OUTPUT_INVALID', `cannot write ${out}: ${e instanceof Error ? e.message : String(e)}`, { hint: 'pass another --out' });
      });
      context.stdout.write(`${out}\n`);
    });
}
