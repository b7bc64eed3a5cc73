import { extentOf } from './scale.ts';
import type { Point } from './series.ts';

/**
 * Caps a series at `2 × columns` points: the x range is cut into `columns` equal buckets (one per
 * pixel column of the plot) and each keeps its lowest and highest point, in time order. Unlike
 * averaging or picking every n-th sample, a one-sample lag spike still reaches its full height.
 * `domain` is the plot's x range, so every series of a chart shares the same columns.
 */
export function downsample(points: readonly Point[], columns: number, domain?: [number, number]): Point[] {
  const buckets = Math.max(1, Math.floor(columns));
  if (points.length <= 2 * buckets) return [...points].sort((a, b) => a.x - b.x);
  const [x0, x1] = domain ?? extentOf(points.map((p) => p.x)) ?? [0, 0];
  const width = x1 - x0;
  const lows: (Point | undefined)[] = new Array<Point | undefined>(buckets);
  const highs: (Point | undefined)[] = new Array<Point | undefined>(buckets);
  for (const p of points) {
    const at = width > 0 ? Math.floor(((p.x - x0) / width) * buckets) : 0;
    const b = Math.min(buckets - 1, Math.max(0, at));
    const low = lows[b];
    const high = highs[b];
    if (low === undefined || p.y < low.y || (p.y === low.y && p.x < low.x)) lows[b] = p;
    if (high === undefined || p.y > high.y || (p.y === high.y && p.x > high.x)) highs[b] = p;
  }
  const out: Point[] = [];
  for (let b = 0; b < buckets; b++) {
    const low = lows[b];
    const high = highs[b];
    if (low === undefined || high === undefined) continue;
    if (low === high) out.push(low);
    else if (low.x <= high.x) out.push(low, high);
    else out.push(high, low);
  }
  return out;
}
