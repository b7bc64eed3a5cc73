/**
 * What the bench must undo on every path: each docker measurement registers its cleanup (remove by
 * drill label, remove throwaway images) for its duration and runs it in `finally`. On Ctrl-C or
 * SIGTERM the bench aborts (a running drill tears itself down), lets the work unwind through those
 * `finally` blocks, and exits 130; if it has not unwound within the grace time, it runs the
 * registered cleanups itself and exits.
 */
const pending = new Set<() => Promise<unknown>>();
const abort = new AbortController();

/** Aborted on SIGINT/SIGTERM: a drill the bench runs stops and tears down. */
export const benchSignal = abort.signal;

export async function withCleanup<T>(cleanup: () => Promise<unknown>, fn: () => Promise<T>): Promise<T> {
  pending.add(cleanup);
  try {
    return await fn();
  } finally {
    pending.delete(cleanup);
    await cleanup();
  }
}

/** Call once at start: the first signal aborts and cleans up, a second exits at once. */
export function cleanUpOnSignals(graceMs = 30_000): void {
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping; removing what the bench started…`);
    abort.abort();
    setTimeout(() => void Promise.allSettled([...pending].map((c) => c())).then(() => process.exit(130)), graceMs).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** One measurement: once interrupted, the bench stops after it (it has cleaned up by then), failed or not. */
export async function measure<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    if (benchSignal.aborted) process.exit(130);
  }
}

/** A bench-only drill id: the label every container and network of one measurement carries. */
export function benchDrillId(what: string): string {
  return `bench-${what}-${process.pid}-${Date.now().toString(36)}`;
}
