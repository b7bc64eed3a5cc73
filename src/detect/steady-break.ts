/**
 * When the fleet counts as knocked off its steady state: every condition-set evaluation failing
 * for at least `steadyBreakMs` in a row. One or two samples under the line are the machine's
 * noise (a loaded runner starves a consumer for half a second), not the fault's impact; a
 * zero-latency control once "moved the fleet" with a 0.5 s dip and was then failed for not paging.
 * Every real pattern breaks the steady state for seconds (backlog, lag spike, RSS climb, invalid
 * outputs), so requiring one second costs no drill its detection.
 */
export const steadyBreakMs = 1000;

/** The start of the first sustained break in a series of evaluations, oldest first. */
export function firstSustainedBreak(evaluations: readonly { at: number; holds: boolean }[], minMs = steadyBreakMs): number | undefined {
  let since: number | undefined;
  for (const e of evaluations) {
    if (e.holds) {
      since = undefined;
      continue;
    }
    since ??= e.at;
    if (e.at - since >= minMs) return since;
  }
  return undefined;
}
