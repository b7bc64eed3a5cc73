import type { Clock } from '../core/clock.ts';
import type { Journal } from '../core/journal.ts';
import { runStep } from '../runbook/executor.ts';
import type { PlannedStep } from './plan.ts';

export interface ResponseOptions {
  steps: PlannedStep[];
  journal: Journal;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal: AbortSignal;
  defaultTimeoutMs: number;
}

const order: PlannedStep['phase'][] = ['diagnose', 'respond', 'verify'];

/**
 * Executes the failure mode as on-call would once paged: diagnose, respond, verify, in the
 * runbook's order. Escalation runs only when verification failed, as the runbook says to
 * escalate "if it does not recover". Manual steps are journaled as not executable.
 */
export async function executeResponse(options: ResponseOptions): Promise<{ verified: boolean }> {
  let verified = true;
  for (const phase of order) {
    for (const step of options.steps.filter((s) => s.phase === phase)) {
      if (options.signal.aborted) return { verified: false };
      const exitCode = await runJournaled(step, options);
      if (phase === 'verify' && exitCode !== 0 && !step.manual) verified = false;
    }
  }
  if (!verified) {
    for (const step of options.steps.filter((s) => s.phase === 'escalate')) {
      if (options.signal.aborted) break;
      await runJournaled(step, options);
    }
  }
  return { verified };
}

async function runJournaled(step: PlannedStep, options: ResponseOptions): Promise<number | null> {
  const base = { name: step.name, section: step.phase, command: step.command, manual: step.manual };
  options.journal.record('step.started', base);
  const result = await runStep(step, {
    env: options.env,
    cwd: options.cwd,
    clock: options.clock,
    defaultTimeoutMs: options.defaultTimeoutMs,
    signal: options.signal,
  });
  options.journal.record('step.finished', { ...base, ...result });
  return result.exitCode;
}
