import path from 'node:path';
import { AgentdrillError, isAgentdrillError, type Problem } from '../core/errors.ts';
import { ExitCode, exitCodeForError } from '../core/exit-codes.ts';
import { checkOutputs, type OutputTarget } from '../core/output-path.ts';
import { settingsFromEnv } from '../core/settings.ts';
import { planView, renderPlan } from '../drill/plan-view.ts';
import { prepareDrill, type PreparedDrill } from '../drill/prepare.ts';
import { providerFor } from '../infra/registry.ts';
import { historyFileName, renderSummary, writeJunit, writeSuiteIndex } from '../report/index.ts';
import { executeDrill, type DrillOutcome } from './drill-runner.ts';
import type { CommandContext } from './main.ts';
import type { RunFlags } from './run-command.ts';
import { requireTerminal } from '../respond/human/terminal.ts';
import { junitResult, renderSuiteTable, scenarioFiles, suiteEntry, suiteExitCode } from './suite.ts';

/** `agentdrill run <file or folder>`: one drill, or every scenario in a folder as a suite. */
export async function runScenarios(target: string, flags: RunFlags, context: CommandContext): Promise<number> {
  const { files, suite } = await scenarioFiles(target);
  if (flags.dryRun) return dryRun(await prepareAll(files, flags), flags, context);
  // Where results go is checked first: the JUnit file and reports are written after every drill ran.
  await checkOutputs(outputTargets(flags, suite));
  const prepared = await prepareAll(files, flags);
  requireTerminal(prepared.map((d) => d.plan), process.stdin);
  const outcomes: DrillOutcome[] = [];
  for (const drill of prepared) {
    const base = flags.out ?? 'reports';
    const outDir = path.resolve(suite || !flags.out ? path.join(base, drill.plan.drillId) : base);
    const outcome = await executeDrill(drill, outDir, context.stderr);
    outcomes.push(outcome);
    const paths = { journal: outcome.result.journal ?? undefined, report: outcome.result.report ?? undefined };
    if (!suite && !flags.json) context.stdout.write(renderSummary(outcome.score, paths, outcome.release).join('\n') + '\n');
    if (outcome.interrupted) break;
  }
  if (flags.junit) await writeJunit(path.resolve(flags.junit), outcomes.map(junitResult));
  if (suite) await writeSuiteIndex(path.resolve(flags.out ?? 'reports'), outcomes.map(suiteEntry));
  if (flags.json) context.stdout.write(JSON.stringify(suite ? outcomes.map((o) => o.result) : outcomes[0]!.result) + '\n');
  else if (suite) context.stdout.write(renderSuiteTable(outcomes) + '\n');
  return suiteExitCode(outcomes);
}

/** Every file checked, every target resolved, the plan printed; no process, container or port touched. */
function dryRun(prepared: PreparedDrill[], flags: RunFlags, context: CommandContext): number {
  const views = prepared.map((d) => planView(d.plan));
  if (flags.json) context.stdout.write(JSON.stringify(views.length === 1 ? views[0] : views, null, 2) + '\n');
  else context.stdout.write(views.map((v) => renderPlan(v).join('\n')).join('\n\n') + '\n');
  return ExitCode.passed;
}

/** Everything the run will write, as drill-runner lays it out: reports/<drill-id>/, history, JUnit, index. */
function outputTargets(flags: RunFlags, suite: boolean): OutputTarget[] {
  const label = flags.out ? '--out' : 'the default reports folder';
  const base = flags.out ?? 'reports';
  // One drill with --out writes straight into it; otherwise each drill gets base/<drill-id>/.
  const direct = !suite && flags.out !== undefined;
  const reportsDir = direct ? path.dirname(path.resolve(base)) : base;
  const moveIt = (what: string) => `move ${what} out of the way, or pass another --out`;
  const history = path.join(reportsDir, historyFileName);
  const targets: OutputTarget[] = [
    { label, option: '--out', path: base, kind: 'folder' },
    { label: 'the drill history', option: '--out', path: history, kind: 'file', derived: true, inTheWay: `move ${history} out of the way; the next drill starts a new history there` },
  ];
  if (direct) for (const name of ['journal.json', 'report.html']) targets.push({ label: `${name} in --out`, option: '--out', path: path.join(base, name), kind: 'file', derived: true, inTheWay: moveIt(path.join(base, name)) });
  if (suite) targets.push({ label: `the suite index in ${label}`, option: '--out', path: path.join(base, 'index.html'), kind: 'file', derived: true, inTheWay: moveIt(path.join(base, 'index.html')) });
  if (flags.junit) targets.push({ label: '--junit', option: '--junit', path: flags.junit, kind: 'file' });
  return targets;
}

/**
 * Every scenario is checked before any starts: a typo in the fourth must not cost three drills,
 * and two broken scenarios are reported together, each problem under its own file and line.
 */
async function prepareAll(files: readonly string[], flags: RunFlags): Promise<PreparedDrill[]> {
  const prepared: PreparedDrill[] = [];
  const settings = settingsFromEnv();
  const failures: { error: AgentdrillError; file: string }[] = [];
  for (const scenarioFile of files) {
    try {
      const drill = await prepareDrill({ scenarioFile, runbookOverride: flags.runbook, validate: flags.validate, provider: flags.provider, agentsInContainers: settings.docker.agentsInContainers, overrides: flags.overrides, responder: flags.responder, ...(flags.injectWithin ? { injectWindow: flags.injectWithin } : {}) });
      // A provider this version lacks is bad input too, found before anything starts.
      providerFor(drill.plan.provider);
      prepared.push(drill);
    } catch (e) {
      // Only bad input is collected; anything else means checking cannot go on.
      if (!isAgentdrillError(e) || exitCodeForError(e.code) !== ExitCode.invalidInput) throw e;
      failures.push({ error: e, file: scenarioFile });
    }
  }
  if (failures.length === 1) throw failures[0]!.error;
  if (failures.length > 1) {
    const codes = new Set(failures.map((f) => f.error.code));
    throw new AgentdrillError(codes.size === 1 ? failures[0]!.error.code : 'SCENARIO_INVALID', `${failures.length} of ${files.length} scenarios are invalid; nothing was started`, {
      hint: 'fix each problem listed; `agentdrill validate` checks the runbooks as well',
      context: { files: failures.map((f) => f.file) },
      problems: failures.flatMap(problemsOf),
    });
  }
  return prepared;
}

/** A validator's problems as they are; any other error becomes one problem under its file (or the scenario's). */
function problemsOf({ error: e, file }: { error: AgentdrillError; file: string }): Problem[] {
  if (e.problems.length > 0) return [...e.problems];
  const line = typeof e.context.line === 'number' ? e.context.line : undefined;
  return [{ file: typeof e.context.file === 'string' ? e.context.file : file, ...(line === undefined ? {} : { line }), message: `${e.message} [${e.code}]`, ...(e.hint ? { hint: e.hint } : {}) }];
}
