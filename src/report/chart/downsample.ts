import type { Point } from './series.ts';

/**
 * Caps a series at about `maxPoints` by keeping the minimum and maximum of each bucket, in time
 * order. Unlike averaging, this keeps the lag spike or throughput collapse an SRE is looking for.
 */
export function downsample(points: readonly Point[], maxPoints: number): Point[] {
  if (points.length <= maxPoints || maxPoints < 4) return [...points];
  const buckets = Math.floor(maxPoints / 2);
  const size = points.length / buckets;
  const out: Point[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(points.length, Math.floor((b + 1) * size));
    let min = points[from]!;
    let max = min;
    for (let i = from + 1; i < to; i++) {
      const p = points[i]!;
      if (p.y < min.y) min = p;
      if (p.y > max.y) max = p;
    }
    if (min === max) out.push(min);
    else out.push(...(min.x <= max.x ? [min, max] : [max, min]));
  }
  return out;
}
