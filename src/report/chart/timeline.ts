import { el, px, text, type Svg } from '../svg.ts';
import { legendRowHeight, renderLegend } from './legend.ts';
import { markerLabelSpace, renderMarkers, type Marker } from './marker-layer.ts';
import { renderPanel, type PanelLayout } from './panel.ts';
import { extentOf, linearScale } from './scale.ts';
import type { GroupSeries, Series } from './series.ts';

export type { Marker, MarkerKind } from './marker-layer.ts';

export interface TimelineInput {
  series: GroupSeries;
  /** RSS per agent instance in MB; the memory panel is drawn only when there is some. */
  memory?: Series[];
  markers: Marker[];
  /** Fault-to-recovery span to shade, relative ms. */
  impact?: [number, number];
  /** Downsampling buckets across the plot (default: one per two pixel columns; each keeps its low and high). */
  columns?: number;
}

const palette = ['#1f77b4', '#9467bd', '#17becf', '#8c564b', '#e377c2', '#bcbd22', '#393b79', '#7f7f7f', '#e7ba52', '#637939'];
const W = 1100;
const plot = { left: 78, right: 24 };
const panelHeight = 180;
const gap = 48;

/**
 * Lag, throughput and memory stacked on one x axis in seconds relative to fault injection, with
 * event markers running through all panels so "the lag rose right after S2" is read, not computed.
 */
export function renderTimeline(input: TimelineInput): Svg {
  const { series } = input;
  const memory = input.memory ?? [];
  const domain: [number, number] = extentOf([...input.markers.map((m) => m.x), ...(series.extent ?? [])]) ?? [0, 1000];
  const width = W - plot.left - plot.right;
  const x = linearScale(domain, [plot.left, plot.left + width]);
  // Groups and agents share a colour map: the inventory agent's memory line is the inventory group's colour.
  const names = [...new Set([...series.lag, ...series.throughput, ...memory].map((s) => s.colourKey ?? s.name))];
  const colourOf = (name: string) => palette[names.indexOf(name) % palette.length]!;
  const legend = renderLegend(names, colourOf, [...new Set(input.markers.map((m) => m.kind))], plot.left, width);
  const top = 12 + legend.rows * legendRowHeight + markerLabelSpace;
  const boxes: PanelLayout[] = [0, 1, 2].map((i) => ({ left: plot.left, top: top + i * (panelHeight + gap), width, height: panelHeight }));
  const panels = [
    { id: 'lag', title: 'consumer lag', unit: 'events', series: series.lag },
    { id: 'throughput', title: 'throughput', unit: 'events/s', series: series.throughput },
    ...(memory.length > 0 ? [{ id: 'memory', title: 'memory (RSS)', unit: 'MB', series: memory }] : []),
  ];
  const bottom = boxes[panels.length - 1]!.top + panelHeight;
  const height = bottom + 48;
  const common = { colourOf, x, xDomainMs: domain, columns: input.columns ?? Math.round(width / 2) };

  return el(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', class: 'timeline', viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': 'Lag, throughput and memory over the drill' },
    input.impact ? impactBand(input.impact, x, top, bottom) : undefined,
    ...panels.map((p, i) => renderPanel({ ...common, ...p }, boxes[i]!)),
    el('text', { class: 'axis-title', x: plot.left + width / 2, y: height - 8, 'text-anchor': 'middle' }, text('seconds since fault injection')),
    renderMarkers(input.markers, x, top, bottom),
    legend.svg,
  );
}

function impactBand([from, to]: [number, number], x: (v: number) => number, y0: number, y1: number): Svg {
  return el('rect', { class: 'impact', x: px(x(from)), y: y0, width: Math.max(0, px(x(to) - x(from))), height: y1 - y0 }, el('title', {}, text('fault injected → recovered')));
}
