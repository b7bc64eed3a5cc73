import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { AgentdrillError } from '../core/errors.ts';
import { parseSetFlags, settablePaths, type SetOverride } from '../fleet/release/set-flag.ts';
import { providerNames } from '../scenario/schema.ts';
import { responderTypes } from '../respond/types.ts';
import { injectWindow } from '../scenario/inject-window.ts';
import type { CommandContext } from './main.ts';

/** The flags as a user writes them; validated like every other input. */
const runFlags = z.strictObject({
  runbook: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  json: z.boolean().default(false),
  junit: z.string().min(1).optional(),
  provider: z.enum(providerNames, { error: `must be one of: ${providerNames.join(', ')}` }).optional(),
  /** Who responds once paged, overriding the scenario's `responder:`. */
  responder: z.enum(responderTypes, { error: `must be one of: ${responderTypes.join(', ')}` }).optional(),
  /** `--no-validate`: run even when `agentdrill validate` reports errors in the runbook. */
  validate: z.boolean().default(true),
  /** `--inject-within 30s..2m`: a game day's random injection moment, overriding the scenario's `injectWithin:`. */
  injectWithin: injectWindow.optional(),
  /** `--dry-run`: check everything and print the plan; start nothing. */
  dryRun: z.boolean().default(false),
  /** `--set <path>=<value>`, repeatable, as written; parsed into overrides below. */
  set: z.array(z.string()).default([]),
});

export function registerRunCommand(program: Command, context: CommandContext): void {
  program
    .command('run <scenario>')
    .description('run a drill (or every *.yaml in a folder, as a suite): bring up Kafka, Toxiproxy and the fleet, inject the fault, execute the runbook, score it')
    .option('--runbook <file>', "use this runbook instead of the scenario's (same #failure-mode)")
    .option('--out <dir>', 'where to write journal.json and report.html (default: reports/<drill-id>)')
    .option('--provider <kind>', `where Kafka and Toxiproxy run, overriding the scenario: ${providerNames.join(', ')}`)
    .option('--responder <type>', `who responds once paged, overriding the scenario: ${responderTypes.join(', ')} (script: agentdrill runs the runbook's steps; agent: an AI agent over MCP, at the URL the drill prints; human: people at this terminal's drill prompt, a game day)`)
    .option('--inject-within <from..to>', "a game day: inject the fault at a random moment this long after the baseline held, e.g. 30s..2m (overrides the scenario's injectWithin)")
    .option('--junit <file>', 'also write JUnit XML (one testcase per scenario) for CI')
    .option('--json', 'print one JSON object with the result on stdout (progress stays on stderr)')
    .option('--no-validate', 'run even when the runbook has error-level lint findings (agentdrill validate)')
    .option('--dry-run', 'check every file and print the plan (what starts, what the fault hits, the steps), start nothing')
    .option('--set <path=value>', `change the scenario's fleet file for this run (repeatable): ${settablePaths.join(', ')}`, (value: string, previous: string[]) => [...previous, value], [] as string[])
    .addHelpText(
      'after',
      `
The scenario (YAML) names the fleet, the load, the fault, the runbook#failure-mode and the targets.
Progress goes to stderr; the verdict to stdout. Exit codes: 0 passed, 1 failed, 2 invalid input,
3 inconclusive, 4 harness error, 130 interrupted.

Example:
  $ agentdrill run scenarios/downstream-backlog.yaml --out /tmp/drill --json
  $ agentdrill run scenarios/            every scenario as a suite: a summary table, --json prints an array
  $ agentdrill run scenarios/downstream-backlog.yaml --responder agent   serve the drill over MCP; your agent responds
  $ agentdrill run scenarios/downstream-backlog.yaml --responder human --inject-within 30s..2m   a game day at this terminal
    (human needs a terminal on stdin: without one it stops at once with exit 2, NOT_A_TERMINAL)
  $ agentdrill run --dry-run examples/payments/drills/fraud-api-latency.yaml
  $ agentdrill run examples/payments/drills/ --set agents.scorer.image=acme/scorer:1.5.0 --set agents.scorer.replicas=3   the release gate`,
    )
    .action(async (scenarioFile: string, rawFlags: unknown) => {
      const flags = parseFlags(rawFlags);
      // Loaded here, not at the top: the drill pulls in kafkajs and testcontainers, and every
      // `agentdrill ctl` a runbook step runs would pay for them at start-up (about 0.6 s each).
      const { runScenarios } = await import('./run-scenarios.ts');
      context.exitCode = await runScenarios(scenarioFile, flags, context);
    });
}

export type RunFlags = z.output<typeof runFlags> & { overrides: SetOverride[] };

function parseFlags(raw: unknown): RunFlags {
  const parsed = runFlags.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `--${i.path.join('.').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`);
    throw new AgentdrillError('USAGE', `invalid flags: ${problems.join('; ')}`, { hint: 'see agentdrill run --help' });
  }
  // Every --set is checked before any file is read; those naming an agent, against each fleet file.
  return { ...parsed.data, overrides: parseSetFlags(parsed.data.set) };
}
