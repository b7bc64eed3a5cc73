import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { AgentdrillError } from '../core/errors.ts';
import { prepareDrill } from '../drill/prepare.ts';
import { providerFor } from '../infra/registry.ts';
import { providerNames } from '../scenario/index.ts';
import { renderSummary, writeJunit, writeSuiteIndex } from '../report/index.ts';
import { executeDrill, type DrillOutcome } from './drill-runner.ts';
import type { CommandContext } from './main.ts';
import { junitResult, renderSuiteTable, scenarioFiles, suiteEntry, suiteExitCode } from './suite.ts';

/** The flags as a user writes them; validated like every other input. */
const runFlags = z.strictObject({
  runbook: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  json: z.boolean().default(false),
  junit: z.string().min(1).optional(),
  provider: z.enum(providerNames, { error: `must be one of: ${providerNames.join(', ')}` }).optional(),
  /** `--no-validate`: run even when `agentdrill validate` reports errors in the runbook. */
  validate: z.boolean().default(true),
});

export function registerRunCommand(program: Command, context: CommandContext): void {
  program
    .command('run <scenario>')
    .description('run a drill (or every *.yaml in a folder, as a suite): bring up Kafka, Toxiproxy and the fleet, inject the fault, execute the runbook, score it')
    .option('--runbook <file>', "use this runbook instead of the scenario's (same #failure-mode)")
    .option('--out <dir>', 'where to write journal.json and report.html (default: reports/<drill-id>)')
    .option('--provider <kind>', `where Kafka and Toxiproxy run, overriding the scenario: ${providerNames.join(', ')}`)
    .option('--junit <file>', 'also write JUnit XML (one testcase per scenario) for CI')
    .option('--json', 'print one JSON object with the result on stdout (progress stays on stderr)')
    .option('--no-validate', 'run even when the runbook has error-level lint findings (agentdrill validate)')
    .addHelpText(
      'after',
      `
The scenario (YAML) names the fleet, the load, the fault, the runbook#failure-mode and the targets.
Progress goes to stderr; the verdict to stdout. Exit codes: 0 passed, 1 failed, 2 invalid input,
3 inconclusive, 4 harness error, 130 interrupted.

Example:
  $ agentdrill run scenarios/downstream-backlog.yaml --out /tmp/drill --json
  $ agentdrill run scenarios/            every scenario as a suite: a summary table, --json prints an array`,
    )
    .action(async (scenarioFile: string, rawFlags: unknown) => {
      const flags = parseFlags(rawFlags);
      context.exitCode = await runScenarios(scenarioFile, flags, context);
    });
}

function parseFlags(raw: unknown): z.output<typeof runFlags> {
  const parsed = runFlags.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`);
  throw new AgentdrillError('USAGE', `invalid flags: ${problems.join('; ')}`, { hint: 'see agentdrill run --help' });
}

async function runScenarios(target: string, flags: z.output<typeof runFlags>, context: CommandContext): Promise<number> {
  const { files, suite } = await scenarioFiles(target);
  // Every scenario is checked before any starts: a typo in the fourth must not cost three drills.
  const prepared = [];
  for (const scenarioFile of files) prepared.push(await prepareDrill({ scenarioFile, runbookOverride: flags.runbook, validate: flags.validate, provider: flags.provider }));
  // A provider this version lacks is bad input too, found before anything starts.
  for (const drill of prepared) providerFor(drill.plan.provider);
  const outcomes: DrillOutcome[] = [];
  for (const drill of prepared) {
    const base = flags.out ?? 'reports';
    const outDir = path.resolve(suite || !flags.out ? path.join(base, drill.plan.drillId) : base);
    const outcome = await executeDrill(drill, outDir, context.stderr);
    outcomes.push(outcome);
    const paths = { journal: outcome.result.journal ?? undefined, report: outcome.result.report ?? undefined };
    if (!suite && !flags.json) context.stdout.write(renderSummary(outcome.score, paths).join('\n') + '\n');
    if (outcome.interrupted) break;
  }
  if (flags.junit) await writeJunit(path.resolve(flags.junit), outcomes.map(junitResult));
  if (suite) await writeSuiteIndex(path.resolve(flags.out ?? 'reports'), outcomes.map(suiteEntry));
  if (flags.json) context.stdout.write(JSON.stringify(suite ? outcomes.map((o) => o.result) : outcomes[0]!.result) + '\n');
  else if (suite) context.stdout.write(renderSuiteTable(outcomes) + '\n');
  return suiteExitCode(outcomes);
}
