import { el, fragment, px, text, type Svg } from '../svg.ts';
import { renderPanel } from './panel.ts';
import { linearScale } from './scale.ts';
import type { GroupSeries } from './series.ts';

export type MarkerKind = 'fault' | 'alert' | 'step' | 'recovered';

export interface Marker {
  kind: MarkerKind;
  /** ms relative to the chart origin. */
  x: number;
  /** Short label drawn above the chart (S1, alert, ...). */
  label: string;
  /** Longer text shown on hover. */
  title: string;
}

export interface TimelineInput {
  series: GroupSeries;
  markers: Marker[];
  /** Fault-to-recovery span to shade, relative ms. */
  impact?: [number, number];
  maxPointsPerSeries?: number;
}

const palette = ['#1f77b4', '#9467bd', '#17becf', '#8c564b', '#e377c2', '#bcbd22', '#393b79', '#7f7f7f'];
const markerLegend: [MarkerKind, string][] = [['fault', 'fault injected'], ['alert', 'alert firing'], ['step', 'runbook step'], ['recovered', 'recovered']];
const W = 1100;
const plot = { left: 78, right: 24 };
const panelHeight = 210;
const top = 96;
const gap = 56;

/** Lag over throughput, sharing an x axis in seconds relative to fault injection, with event markers. */
export function renderTimeline(input: TimelineInput): Svg {
  const { series } = input;
  const all = [...input.markers.map((m) => m.x), ...(series.extent ?? [])];
  const domain: [number, number] = all.length > 0 ? [Math.min(...all), Math.max(...all)] : [0, 1000];
  const width = W - plot.left - plot.right;
  const x = linearScale(domain, [plot.left, plot.left + width]);
  const names = [...new Set([...series.lag, ...series.throughput].map((s) => s.name))];
  const colourOf = (name: string) => palette[names.indexOf(name) % palette.length]!;
  const maxPoints = input.maxPointsPerSeries ?? 600;
  const lagBox = { left: plot.left, top, width, height: panelHeight };
  const tpBox = { left: plot.left, top: top + panelHeight + gap, width, height: panelHeight };
  const height = tpBox.top + panelHeight + 48;
  const common = { colourOf, x, xDomainMs: domain, maxPoints };

  return el(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', class: 'timeline', viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': 'Lag and throughput per consumer group over the drill' },
    input.impact ? impactBand(input.impact, x, lagBox.top, tpBox.top + panelHeight) : undefined,
    renderPanel({ ...common, id: 'lag', title: 'consumer lag', unit: 'events', series: series.lag }, lagBox),
    renderPanel({ ...common, id: 'throughput', title: 'throughput', unit: 'events/s', series: series.throughput }, tpBox),
    el('text', { class: 'axis-title', x: plot.left + width / 2, y: height - 8, 'text-anchor': 'middle' }, text('seconds since fault injection')),
    markers(input.markers, x, lagBox.top, tpBox.top + panelHeight),
    legend(names, colourOf),
  );
}

function impactBand([from, to]: [number, number], x: (v: number) => number, y0: number, y1: number): Svg {
  return el('rect', { class: 'impact', x: px(x(from)), y: y0, width: Math.max(0, px(x(to) - x(from))), height: y1 - y0 }, el('title', {}, text('fault injected → recovered')));
}

const labelRows = 4;
const priority: Record<MarkerKind, number> = { fault: 0, alert: 1, recovered: 2, step: 3 };

function markers(list: Marker[], x: (v: number) => number, y0: number, y1: number): Svg {
  const rows = placeLabels(list, x);
  return el(
    'g',
    { class: 'markers' },
    ...list.map((m, i) => {
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
    }),
  );
}

/**
 * A label row per marker, placing fault, alert and recovery first so they always get a label;
 * a step label that fits nowhere is dropped (its line and hover title remain) rather than
 * printed over another label.
 */
function placeLabels(list: Marker[], x: (v: number) => number): (number | undefined)[] {
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

function legend(names: string[], colourOf: (n: string) => string): Svg {
  let cursor = plot.left;
  const item = (swatch: Svg, label: string) => {
    const g = el('g', { transform: `translate(${cursor} 18)` }, swatch, el('text', { x: 22, y: 4 }, text(label)));
    cursor += 34 + label.length * 7;
    return g;
  };
  const groups = names.map((n) => item(el('line', { class: 'swatch', x1: 0, x2: 16, y1: 0, y2: 0, stroke: colourOf(n) }), n));
  const kinds = markerLegend.map(([kind, label]) => item(el('line', { class: `marker-${kind}`, x1: 8, x2: 8, y1: -7, y2: 7 }), label));
  return el('g', { class: 'legend' }, fragment(groups), fragment(kinds));
}
