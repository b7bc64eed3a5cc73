/**
 * SIGINT/SIGTERM abort the drill instead of killing the process, so teardown stops every child
 * first. A second signal while tearing down means "now": exit at once with 130.
 */
export function onInterrupt(notice: () => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(130);
    notice();
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
