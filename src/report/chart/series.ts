import { eventsOfType, type JournalEvent } from '../../core/journal.ts';
import type { GroupSample } from '../../observe/sample.ts';

export interface Point {
  /** ms relative to the chart origin (fault injection when there was one). */
  x: number;
  y: number;
}

export interface Series {
  name: string;
  /** Picks the colour when it differs from the name (agent instances take their agent's colour). */
  colourKey?: string;
  points: Point[];
}

export interface GroupSeries {
  lag: Series[];
  throughput: Series[];
  /** x of the first and last sample; undefined when the journal has no samples. */
  extent: [number, number] | undefined;
}

/** Lag and throughput per consumer group, in the order groups first appear in the samples. */
export function groupSeries(events: readonly JournalEvent[], origin: number): GroupSeries {
  const samples = eventsOfType(events, 'sample');
  const lag = new Map<string, Point[]>();
  const throughput = new Map<string, Point[]>();
  for (const s of samples) {
    const x = s.at - origin;
    for (const [group, g] of Object.entries(s.payload.groups) as [string, GroupSample][]) {
      push(lag, group, x, g.lag);
      push(throughput, group, x, g.throughput);
    }
  }
  const first = samples[0];
  const last = samples.at(-1);
  return {
    lag: toSeries(lag),
    throughput: toSeries(throughput),
    extent: first && last ? [first.at - origin, last.at - origin] : undefined,
  };
}

function push(map: Map<string, Point[]>, group: string, x: number, y: number): void {
  // A sample that failed to read a value must not drag the line to zero or NaN.
  if (!Number.isFinite(y)) return;
  let points = map.get(group);
  if (!points) map.set(group, (points = []));
  points.push({ x, y });
}

function toSeries(map: Map<string, Point[]>): Series[] {
  return [...map].map(([name, points]) => ({ name, points }));
}
