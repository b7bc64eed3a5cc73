/**
 * Restart policy, as a container runtime's `restart: unless-stopped`: an instance that ends for
 * any reason the supervisor did not ask for (crash, OOM, an external or `killInstance` signal)
 * is started again after an exponential backoff, 250 ms doubling up to 5 s. An instance that
 * stayed up for `resetAfterMs` counts as healthy again and restarts at the initial delay.
 * Instances stopped by the supervisor (stopInstance, scale-down, stop) are not restarted.
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
