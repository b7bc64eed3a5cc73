import { z } from 'zod';
import { checkDuration, durationCeilings, formatExactDuration } from '../core/duration.ts';

/**
 * A game day's injection window, `30s..2m`: the fault waits a random moment within it after the
 * baseline held, so nobody in the room can watch the clock for it. Bounded by the baseline's
 * ceiling (an hour): a longer wait is a drill nobody is still watching.
 */
export interface InjectWindow {
  fromMs: number;
  toMs: number;
}

export const injectWindowMax = durationCeilings.baseline;

const example = 'write two durations with .. between them, e.g. 30s..2m';

/** Every problem of one written window, at once; empty when it is fine. */
export function checkInjectWindow(text: string): { ok: true; window: InjectWindow } | { ok: false; problems: string[] } {
  const parts = text.split('..');
  if (parts.length !== 2) return { ok: false, problems: [`"${text}" is not a window: ${example}`] };
  const problems: string[] = [];
  const ends = parts.map((part, i) => {
    const checked = checkDuration(part, { max: injectWindowMax });
    if (!checked.ok) problems.push(`${i === 0 ? 'start' : 'end'}: ${checked.message}`);
    return checked.ok ? checked.ms : undefined;
  });
  const [fromMs, toMs] = ends;
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
    problems.push(`"${text}" ends (${formatExactDuration(toMs)}) before it starts (${formatExactDuration(fromMs)}): write the earlier time first`);
  }
  if (problems.length > 0 || fromMs === undefined || toMs === undefined) return { ok: false, problems };
  return { ok: true, window: { fromMs, toMs } };
}

/** The scenario's `injectWithin:` and `--inject-within`, as zod fields. */
export const injectWindow = z.string({ error: `expected a window such as 30s..2m` }).transform((text, ctx): InjectWindow => {
  const checked = checkInjectWindow(text);
  if (checked.ok) return checked.window;
  for (const message of checked.problems) ctx.addIssue({ code: 'custom', message, params: { hint: `${example}; each from 0s to ${formatExactDuration(injectWindowMax)}` } });
  return z.NEVER;
});

/**
 * The wait before injection, uniform over the window in whole milliseconds, from `random`
 * (uniform in [0, 1), injected so a test can fix it). Out-of-range draws are clamped, so a
 * broken source can never push the fault outside the window.
 */
export function injectionDelay(window: InjectWindow, random: () => number): number {
  const span = window.toMs - window.fromMs;
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.min(window.toMs, window.fromMs + Math.floor(unit * (span + 1)));
}
