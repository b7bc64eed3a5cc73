/**
 * Seconds as reasons and summaries print them: "24.1s", "20s" (no ".0" noise on round targets).
 * Always seconds, never minutes, so a figure and its target read on the same scale.
 */
export function formatSeconds(ms: number): string {
  const tenths = Math.round(ms / 100) / 10;
  return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)}s`;
}
