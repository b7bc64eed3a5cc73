import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JournalFile } from '../../src/core/journal.ts';
import type { JsonResult } from '../../src/report/index.ts';
import { runCli } from './cli.ts';
import { recordDrillPhases } from './drill-phases.ts';
import { tempDir } from './temp-dir.ts';

/**
 * Runs one drill through the CLI with `--json` and reads back its result and journal. Output
 * goes to a fresh temp folder (its parent keeps the history file, away from the repo), removed
 * when the test file ends.
 */
export async function drillViaCli(scenario: string, extraArgs: string[] = [], env?: NodeJS.ProcessEnv) {
  const base = tempDir('agentdrill-out-');
  const out = path.join(base, 'drill');
  const startedAt = Date.now();
  const run = await runCli(['run', scenario, '--json', '--out', out, ...extraArgs], { env });
  const lastLine = run.stdout.trim().split('\n').at(-1) ?? '';
  let result: JsonResult;
  try {
    result = JSON.parse(lastLine) as JsonResult;
  } catch {
    throw new Error(`the drill printed no JSON result (exit ${run.code}):\n${run.stderr.slice(-3000)}`);
  }
  const journal = JSON.parse(readFileSync(result.journal!, 'utf8')) as JournalFile;
  const wallMs = Date.now() - startedAt;
  recordDrillPhases(journal, wallMs);
  return { ...run, result, events: journal.events, wallMs, out };
}
