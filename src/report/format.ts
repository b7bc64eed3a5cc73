import { formatSeconds } from '../score/format.ts';

/** An optional figure as people read it in a report: "12.3s", or a dash when never measured. */
export function secondsOrDash(ms: number | undefined): string {
  return ms === undefined ? '—' : formatSeconds(ms);
}

/** Signed offset from fault injection: "+12.3s", "−4s" (a true minus so columns line up). */
export function formatOffset(ms: number): string {
  const text = formatSeconds(Math.abs(ms));
  if (text === '0s') return '0s';
  return ms < 0 ? `\u2212${text}` : `+${text}`;
}

/** Compact axis and status figures: 950, 12.5k, 3.2M. */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e4) return `${trim(n / 1e3)}k`;
  return abs >= 100 || Number.isInteger(n) ? String(Math.round(n)) : trim(n);
}

function trim(n: number): string {
  return n.toFixed(1).replace(/\.0$/, '');
}
