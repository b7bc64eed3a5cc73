import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { systemClock } from '../core/clock.ts';
import { AgentdrillError } from '../core/errors.ts';
import { ExitCode, exitCodeForVerdict } from '../core/exit-codes.ts';
import { Journal } from '../core/journal.ts';
import { settingsFromEnv } from '../core/settings.ts';
import { evaluateRuleText, ruleDetection } from '../drill/detection.ts';
import { prepareDrill } from '../drill/prepare.ts';
import { runDrill } from '../drill/run-drill.ts';
import { providerFor } from '../infra/registry.ts';
import { ProgressPrinter, renderSummary, toJsonResult, writeHtmlReport, writeJournal } from '../report/index.ts';
import { scoreDrill } from '../score/index.ts';
import type { CommandContext } from './main.ts';
import { onInterrupt } from './signals.ts';
import { packageVersion } from './version.ts';

/** The flags as a user writes them; validated like every other input. */
const runFlags = z.strictObject({
  runbook: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

export function registerRunCommand(program: Command, context: CommandContext): void {
  program
    .command('run <scenario>')
    .description('run a drill: bring up Kafka, Toxiproxy and the fleet, inject the fault, execute the runbook, score it')
    .option('--runbook <file>', "use this runbook instead of the scenario's (same #failure-mode)")
    .option('--out <dir>', 'where to write journal.json and report.html (default: reports/<drill-id>)')
    .option('--json', 'print one JSON object with the result on stdout (progress stays on stderr)')
    .addHelpText(
      'after',
      `
The scenario (YAML) names the fleet, the load, the fault, the runbook#failure-mode and the targets.
Progress goes to stderr; the verdict to stdout. Exit codes: 0 passed, 1 failed, 2 invalid input,
3 inconclusive, 4 harness error, 130 interrupted.

Example:
  $ agentdrill run scenarios/downstream-backlog.yaml --out /tmp/drill --json`,
    )
    .action(async (scenarioFile: string, rawFlags: unknown) => {
      const flags = parseFlags(rawFlags);
      context.exitCode = await runOne(scenarioFile, flags, context);
    });
}

function parseFlags(raw: unknown): z.output<typeof runFlags> {
  const parsed = runFlags.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`);
  throw new AgentdrillError('USAGE', `invalid flags: ${problems.join('; ')}`, { hint: 'see agentdrill run --help' });
}

async function runOne(scenarioFile: string, flags: z.output<typeof runFlags>, context: CommandContext): Promise<number> {
  const prepared = await prepareDrill({ scenarioFile, runbookOverride: flags.runbook });
  const { plan } = prepared;
  const settings = settingsFromEnv();
  const journal = new Journal(systemClock);
  const printer = new ProgressPrinter(context.stderr as NodeJS.WriteStream);
  journal.subscribe(printer.listener);
  const progress = (message: string) => context.stderr.write(`  ${message}\n`);
  progress(`drill ${plan.drillId}: ${plan.name} (${plan.provider}), runbook ${path.relative(process.cwd(), plan.runbook.file)}#${plan.runbook.failureMode}`);
  const interrupt = onInterrupt(() => progress('interrupted: stopping the drill and tearing everything down…'));
  let interrupted = false;
  try {
    await runDrill({
      plan,
      provider: providerFor(plan.provider),
      settings,
      clock: systemClock,
      detection: ruleDetection(prepared.alertRule, prepared.steadyRules, plan.steadyState.windowMs),
      evaluate: evaluateRuleText,
      progress,
      journal,
      signal: interrupt.signal,
      versions: { agentdrill: packageVersion(), node: process.version },
    });
  } catch (e) {
    if (!(e instanceof AgentdrillError && e.code === 'INTERRUPTED')) throw e;
    interrupted = true;
  } finally {
    interrupt.dispose();
    printer.finish();
  }
  const score = scoreDrill(journal.events);
  journal.record('score', score);
  journal.record('drill.finished', { verdict: score.verdict });
  const outDir = path.resolve(flags.out ?? path.join('reports', plan.drillId));
  const journalPath = await writeJournal(outDir, journal.events);
  const reportPath = await writeHtmlReport(outDir, journal.events);
  const paths = { journal: journalPath, report: reportPath };
  if (flags.json) context.stdout.write(JSON.stringify(toJsonResult(plan.name, score, paths)) + '\n');
  else context.stdout.write(renderSummary(score, paths).join('\n') + '\n');
  return interrupted ? ExitCode.interrupted : exitCodeForVerdict(score.verdict);
}
