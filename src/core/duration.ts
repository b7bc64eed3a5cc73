/** Durations as people write them in scenarios and runbooks: 250ms, 10s, 2m, 1h, 1m30s. */
const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const durationPattern = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const partPattern = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/**
 * Node runs a timer longer than 2^31-1 ms after 1 ms instead (with a warning), so no duration
 * beyond it can be honoured; parseDuration refuses those rather than hand back a 1 ms timer.
 */
export const maxTimerMs = 2 ** 31 - 1;

const hour = 3_600_000;
/** The ceilings the scenario, the runbook and `ctl wait` share (a drill's time limit is at most 6 h). */
export const durationCeilings = { drill: 6 * hour, baseline: hour } as const;

export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!durationPattern.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(partPattern)) total += Number(m[1]) * (unitMs[m[2]!] ?? 0);
  return Number.isFinite(total) && total <= maxTimerMs ? total : undefined;
}

export interface DurationRange {
  min?: number;
  max?: number;
}

export type DurationCheck = { ok: true; ms: number } | { ok: false; message: string; hint: string };

/**
 * A written duration checked against a range, with the message every caller shows: the value
 * quoted and the range allowed. The upper end never exceeds what a timer can wait.
 */
export function checkDuration(text: string, range: DurationRange = {}): DurationCheck {
  const min = range.min ?? 0;
  const max = Math.min(range.max ?? maxTimerMs, maxTimerMs);
  const allowed = `${formatExactDuration(min)} to ${formatExactDuration(max)}`;
  const quoted = JSON.stringify(text);
  const t = text.trim();
  if (!durationPattern.test(t)) {
    return { ok: false, message: `${quoted} is not a duration`, hint: 'write a number with a unit: 250ms, 20s, 4m, 1m30s' };
  }
  const ms = parseDuration(t);
  if (ms === undefined || ms < min || ms > max) {
    return { ok: false, message: `${quoted} is out of range (allowed: ${allowed})`, hint: `use a duration between ${formatExactDuration(min)} and ${formatExactDuration(max)}` };
  }
  return { ok: true, ms };
}

/** Lossless: the largest unit that divides the value evenly (1h, 90s, 250ms). */
export function formatExactDuration(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms > 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m${String(s).padStart(2, '0')}s`;
}
