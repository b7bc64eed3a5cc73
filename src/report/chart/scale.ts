/** Linear mapping from a data domain onto a pixel range. */
export function linearScale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/**
 * Smallest and largest of `values`, by a loop: `Math.min(...values)` puts every value on the call
 * stack, and a 6-hour drill has more samples than the stack holds. Non-finite values are ignored.
 */
export function extentOf(values: Iterable<number>): [number, number] | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : undefined;
}

// Far more than any axis draws; a bound so that no input can make the loop below run away.
const maxTicks = 50;

/**
 * Round tick values (1, 2, 5 × 10^n steps) covering [min, max]; people read "0 30 60 90 s"
 * faster than evenly spaced odd numbers. Ticks are computed by index, not by repeated addition:
 * far from zero a step can be smaller than the float spacing, and `v += step` would never move.
 */
export function niceTicks(min: number, max: number, count = 6): number[] {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return [Number.isFinite(min) ? min : 0];
  const raw = (max - min) / Math.max(1, count - 1);
  if (!Number.isFinite(raw) || raw <= 0) return [min, max];
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const first = Math.ceil(min / step);
  // 3 × 0.1 is 0.30000000000000004: round to the step's own decimals so labels read "0.3".
  const decimals = Math.min(20, Math.max(0, -Math.floor(Math.log10(step))));
  const ticks: number[] = [];
  for (let i = 0; i < maxTicks; i++) {
    const v = Number(((first + i) * step).toFixed(decimals));
    if (!(v <= max + step * 1e-9)) break;
    if (ticks.at(-1) !== v) ticks.push(v);
  }
  return ticks.length > 0 ? ticks : [min, max];
}

/** Upper bound of a y axis starting at zero: a little headroom, rounded to a nice tick. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  // Near the float limit there is no headroom to add: the axis ends at the value itself.
  if (!Number.isFinite(max * 1.08 * 10)) return max;
  const ticks = niceTicks(0, max * 1.08, 5);
  const last = ticks.at(-1)!;
  return last >= max || ticks.length < 2 ? last : last + (ticks[1]! - ticks[0]!);
}
