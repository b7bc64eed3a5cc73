/**
 * Signals whose default action ends a process, so after delivering one the supervisor waits for
 * the exit (and a fault may name it). Both launchers deliver any of them: `process.kill` for a
 * local process, `docker kill --signal` for a container.
 */
export const endingSignals = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGABRT'] as const;
export type EndingSignal = (typeof endingSignals)[number];

export function isEndingSignal(signal: string): signal is EndingSignal {
  return (endingSignals as readonly string[]).includes(signal);
}
