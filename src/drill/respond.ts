import type { PlannedStep } from './plan.ts';

export interface ResponseOptions {
  steps: readonly PlannedStep[];
  signal: AbortSignal;
  /** Runs one step (journaled by the caller) and gives its exit code. */
  run: (step: PlannedStep, signal: AbortSignal) => Promise<{ exitCode: number | null }>;
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
      const { exitCode } = await options.run(step, options.signal);
      if (phase === 'verify' && exitCode !== 0 && !step.manual) verified = false;
    }
  }
  if (!verified) {
    for (const step of options.steps.filter((s) => s.phase === 'escalate')) {
      if (options.signal.aborted) break;
      await options.run(step, options.signal);
    }
  }
  return { verified };
}
