import type { ExitStatus } from './launcher.ts';

/**
 * Restart policy, in a container runtime's words (a fleet file's `restart:`):
 * - `always`: an instance that ends for any reason the supervisor did not ask for is started
 *   again, a clean exit 0 included (compose's `unless-stopped`: a stop by the supervisor sticks);
 * - `on-failure`: only after a non-zero exit, or a signal (a crash, the OOM killer, a fault's or
 *   `ctl kill`'s SIGKILL); an exit 0 is a finished job and stays down;
 * - `never`: whatever ended it, it stays down until someone restarts it (a runbook step).
 * Instances stopped by the supervisor (stopInstance, scale-down, stop) are never restarted: that
 * stop was asked for, whichever signal ended the process.
 */
export const restartModes = ['always', 'on-failure', 'never'] as const;
export type RestartMode = (typeof restartModes)[number];

/**
 * Backoff between restarts: 250 ms doubling up to 5 s. An instance that stayed up for
 * `resetAfterMs` counts as healthy again and restarts at the initial delay.
 */
export interface RestartPolicy {
  initialMs: number;
  maxMs: number;
  resetAfterMs: number;
}

export const defaultRestartPolicy: RestartPolicy = { initialMs: 250, maxMs: 5000, resetAfterMs: 10_000 };

/** The delay before the next restart, given consecutive quick failures so far (0-based). */
export function backoffDelay(policy: RestartPolicy, consecutiveFailures: number): number {
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(consecutiveFailures, 30));
}

/**
 * Whether an exit is followed by a restart. `stoppedBySupervisor`: the supervisor's own stop
 * ended it, so nothing restarts. A launcher that could not start the program at all (`error`)
 * counts as a failure, as a runtime counts a container that failed to start.
 */
export function shouldRestart(mode: RestartMode, status: ExitStatus, stoppedBySupervisor: boolean): boolean {
  if (stoppedBySupervisor) return false;
  switch (mode) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'on-failure':
      return status.signal !== null || status.error !== undefined || (status.code !== null && status.code !== 0);
  }
}
