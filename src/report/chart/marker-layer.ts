import { el, fragment, px, text, type Svg } from '../svg.ts';

export type MarkerKind = 'fault' | 'alert' | 'step' | 'recovered' | 'oom' | 'exit' | 'rebalance' | 'observation';

export interface Marker {
  kind: MarkerKind;
  /** ms relative to the chart origin. */
  x: number;
  /** Short label drawn above the chart (S1, alert, ...). */
  label: string;
  /** Longer text shown on hover. */
  title: string;
}

const labelRows = 4;
/** Lower labels first: the drill's own milestones always get a label, steps only where room is left. */
const priority: Record<MarkerKind, number> = { fault: 0, alert: 1, recovered: 2, oom: 3, exit: 4, observation: 5, rebalance: 6, step: 7 };
/** Height the label rows take above the first panel. */
export const markerLabelSpace = 6 + labelRows * 13;

/** Vertical lines from the top of the first panel to the bottom of the last, labels stacked above. */
export function renderMarkers(list: readonly Marker[], x: (v: number) => number, y0: number, y1: number): Svg {
  const rows = placeLabels(list, x);
  return el(
    'g',
    { class: 'markers' },
    fragment(list.map((m, i) => {
      const mx = px(x(m.x));
      const row = rows[i];
      const labelY = y0 - 6 - (row ?? 0) * 13;
      return el(
        'g',
        { class: `marker marker-${m.kind}`, 'data-kind': m.kind },
        el('title', {}, text(m.title)),
        el('line', { x1: mx, x2: mx, y1: row === undefined ? y0 : labelY + 3, y2: y1 }),
        row === undefined ? undefined : el('text', { x: mx, y: labelY, 'text-anchor': 'middle' }, text(m.label)),
      );
    })),
  );
}

/**
 * A label row per marker, in priority order; a label that fits nowhere is dropped (its line and
 * hover title remain) rather than printed over another label.
 */
function placeLabels(list: readonly Marker[], x: (v: number) => number): (number | undefined)[] {
  const taken: [number, number][][] = Array.from({ length: labelRows }, () => []);
  const rows: (number | undefined)[] = new Array<number | undefined>(list.length);
  const order = list.map((_, i) => i).sort((a, b) => priority[list[a]!.kind] - priority[list[b]!.kind] || list[a]!.x - list[b]!.x);
  for (const i of order) {
    const m = list[i]!;
    const half = (m.label.length * 6.5 + 8) / 2;
    const span: [number, number] = [x(m.x) - half, x(m.x) + half];
    const row = taken.findIndex((spans) => spans.every(([a, b]) => span[1] <= a || span[0] >= b));
    if (row < 0) continue;
    taken[row]!.push(span);
    rows[i] = row;
  }
  return rows;
}
