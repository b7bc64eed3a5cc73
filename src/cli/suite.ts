import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { AgentdrillError } from '../core/errors.ts';
import { ExitCode, exitCodeForVerdict } from '../core/exit-codes.ts';
import type { JunitResult, SuiteEntry } from '../report/index.ts';
import { releaseProperties } from '../report/junit.ts';
import { responderLines } from '../report/responder-view.ts';
import type { DrillOutcome } from './drill-runner.ts';

/** A scenario argument names one file, or a folder whose *.yaml files form a suite. */
export async function scenarioFiles(target: string): Promise<{ files: string[]; suite: boolean }> {
  const info = await stat(target).catch(() => undefined);
  if (!info?.isDirectory()) return { files: [target], suite: false };
  const files = (await readdir(target))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(target, f));
  if (files.length === 0) {
    throw new AgentdrillError('SCENARIO_NOT_FOUND', `no scenario files (*.yaml) in ${target}`, { hint: 'point at a scenario file or a folder of them' });
  }
  return { files, suite: true };
}

/** The suite's exit code: the worst outcome wins (harness error, then failed, then inconclusive). */
export function suiteExitCode(outcomes: readonly DrillOutcome[]): number {
  if (outcomes.some((o) => o.interrupted)) return ExitCode.interrupted;
  const codes = outcomes.map((o) => exitCodeForVerdict(o.score.verdict));
  for (const code of [ExitCode.harnessError, ExitCode.failed, ExitCode.inconclusive]) if (codes.includes(code)) return code;
  return ExitCode.passed;
}

const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)}s`);

/** One line per scenario, aligned, for the end of a suite run. */
export function renderSuiteTable(outcomes: readonly DrillOutcome[]): string {
  const rows = outcomes.map((o) => [
    o.result.scenario,
    o.result.verdict.toUpperCase(),
    `${seconds(o.result.ttdMs)} / ${seconds(o.result.targets.detectMs)}`,
    `${seconds(o.result.ttrMs)} / ${seconds(o.result.targets.recoverMs)}`,
    o.result.integrity ? String(o.result.integrity.lost ?? 'unknown') : '—',
    seconds(o.durationMs),
  ]);
  const header = ['scenario', 'verdict', 'detect / target', 'recover / target', 'lost', 'wall'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const passed = outcomes.filter((o) => o.score.verdict === 'passed').length;
  return [line(header), ...rows.map(line), '', `${passed} passed, ${outcomes.length - passed} not passed`].join('\n');
}

export function junitResult(o: DrillOutcome): JunitResult {
  const { scenario, verdict, reasons, ttdMs, ttrMs, targets, versions, overrides } = o.result;
  const responder = o.score.responder;
  const properties = [...releaseProperties(versions ? { versions, overrides } : undefined), ...(responder ? [{ name: 'responder', value: responder.type }] : [])];
  return { scenario, verdict, reasons, ttdMs, ttrMs, targets, durationMs: o.durationMs, properties, ...(responder ? { responder: responderLines(responder) } : {}) };
}

export function suiteEntry(o: DrillOutcome): SuiteEntry {
  const { scenario, verdict, ttdMs, ttrMs, targets, report, journal } = o.result;
  return { scenario, verdict, ttdMs, ttrMs, targets, reportPath: report ?? '', journalPath: journal ?? '' };
}
