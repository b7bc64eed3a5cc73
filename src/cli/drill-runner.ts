import path from 'node:path';
import { systemClock } from '../core/clock.ts';
import { AgentdrillError } from '../core/errors.ts';
import type { Score } from '../core/events.ts';
import { Journal } from '../core/journal.ts';
import { settingsFromEnv } from '../core/settings.ts';
import { evaluateRuleText, ruleDetection } from '../drill/detection.ts';
import type { PreparedDrill } from '../drill/prepare.ts';
import { runDrill } from '../drill/run-drill.ts';
import { providerFor } from '../infra/registry.ts';
import {
  appendHistory,
  historyEntryFromJournal,
  ProgressPrinter,
  readHistory,
  toJsonResult,
  writeHtmlReport,
  writeJournal,
  type JsonResult,
} from '../report/index.ts';
import { releaseFromJournal, type ReleaseRecord } from '../report/release-view.ts';
import { scoreDrill } from '../score/index.ts';
import { onInterrupt } from './signals.ts';
import { packageVersion } from './version.ts';

export interface DrillOutcome {
  score: Score;
  result: JsonResult;
  /** The release drilled (the fleet file's agents and `--set`); undefined in a journal from before fleet files. */
  release?: ReleaseRecord | undefined;
  interrupted: boolean;
  durationMs: number;
}

/**
 * Runs one prepared drill with live progress on `stderr`, scores it from its journal, and
 * writes the journal and the HTML report into `outDir`.
 */
export async function executeDrill(prepared: PreparedDrill, outDir: string, stderr: NodeJS.WritableStream): Promise<DrillOutcome> {
  const { plan } = prepared;
  const journal = new Journal(systemClock);
  // People type at a human responder's prompt on this terminal: a status line rewritten in place
  // every second would scribble over what they type, so progress comes as plain lines there.
  const printer = new ProgressPrinter(stderr as NodeJS.WriteStream, plan.responder.type === 'human' ? { tty: false } : {});
  journal.subscribe(printer.listener);
  const progress = (message: string) => stderr.write(`  ${message}\n`);
  progress(`drill ${plan.drillId}: ${plan.name} (${plan.provider}), runbook ${path.relative(process.cwd(), plan.runbook.file)}#${plan.runbook.failureMode}`);
  const interrupt = onInterrupt(() => progress('interrupted: stopping the drill and tearing everything down…'));
  const started = systemClock.now();
  let interrupted = false;
  try {
    await runDrill({
      plan,
      provider: providerFor(plan.provider),
      settings: settingsFromEnv(),
      clock: systemClock,
      random: Math.random,
      detection: ruleDetection(prepared.alertRule, prepared.steadyRules),
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
  const journalPath = await writeJournal(outDir, journal.events);
  // The reports folder keeps every drill's scores: the report shows this scenario's trend.
  const reportsDir = path.dirname(outDir);
  const entry = historyEntryFromJournal(journal.events);
  if (entry) await appendHistory(reportsDir, entry);
  const reportPath = await writeHtmlReport(outDir, journal.events, { history: await readHistory(reportsDir, plan.name) });
  const release = releaseFromJournal(journal.events);
  const result = toJsonResult(plan.name, score, { journal: journalPath, report: reportPath }, release);
  return { score, result, release, interrupted, durationMs: systemClock.now() - started };
}
