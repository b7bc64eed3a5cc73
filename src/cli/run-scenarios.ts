import path from 'node:path';
import { prepareDrill } from '../drill/prepare.ts';
import { providerFor } from '../infra/registry.ts';
import { renderSummary, writeJunit, writeSuiteIndex } from '../report/index.ts';
import { executeDrill, type DrillOutcome } from './drill-runner.ts';
import type { CommandContext } from './main.ts';
import type { RunFlags } from './run-command.ts';
import { junitResult, renderSuiteTable, scenarioFiles, suiteEntry, suiteExitCode } from './suite.ts';

/** `agentdrill run <file or folder>`: one drill, or every scenario in a folder as a suite. */
export async function runScenarios(target: string, flags: RunFlags, context: CommandContext): Promise<number> {
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
