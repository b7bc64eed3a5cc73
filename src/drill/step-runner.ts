import type { Clock } from '../core/clock.ts';
import type { Journal } from '../core/journal.ts';
import { runStep } from '../runbook/executor.ts';
import type { PlannedStep } from './plan.ts';

/**
 * Runs runbook steps with the drill's environment, each journaled as step.started and
 * step.finished, whoever asked for it: the script responder, or an agent's `run_step`.
 */
export function journaledStepRunner(o: { journal: Journal; clock: Clock; env: NodeJS.ProcessEnv; cwd: string; defaultTimeoutMs: number }) {
  return async (step: PlannedStep, signal: AbortSignal) => {
    const base = { name: step.name, section: step.phase, command: step.command, manual: step.manual };
    o.journal.record('step.started', base);
    const result = await runStep(step, { env: o.env, cwd: o.cwd, clock: o.clock, defaultTimeoutMs: o.defaultTimeoutMs, signal });
    o.journal.record('step.finished', { ...base, ...result });
    return result;
  };
}
