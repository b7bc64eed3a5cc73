/** Linear mapping from a data domain onto a pixel range. */
export function linearScale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/**
 * Round tick values (1, 2, 5 × 10^n steps) covering [min, max]; people read "0 30 60 90 s"
 * faster than evenly spaced odd numbers.
 */
export function niceTicks(min: number, max: number, count = 6): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Math.round(v / step) * step);
  return ticks;
}

/** Upper bound of a y axis starting at zero: a little headroom, rounded to a nice tick. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const ticks = niceTicks(0, max * 1.08, 5);
  const last = ticks.at(-1)!;
  return last >= max ? last : last + (ticks[1]! - ticks[0]!);
}
