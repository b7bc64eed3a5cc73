import { formatCount } from '../format.ts';
import { el, fragment, px, text, type Svg } from '../svg.ts';
import { downsample } from './downsample.ts';
import { linearScale, niceMax, niceTicks } from './scale.ts';
import type { Series } from './series.ts';

export interface PanelLayout {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface PanelInput {
  id: string;
  title: string;
  unit: string;
  series: Series[];
  colourOf: (name: string) => string;
  x: (ms: number) => number;
  xDomainMs: [number, number];
  /** Downsampling buckets across the plot: each series draws at most two points per column. */
  columns: number;
}

/** One chart panel: frame, grid, y axis with labels, x axis in seconds, one line per series. */
export function renderPanel(input: PanelInput, box: PanelLayout): Svg {
  const yMax = niceMax(highest(input.series));
  const y = linearScale([0, yMax], [box.top + box.height, box.top]);
  const right = box.left + box.width;
  const bottom = box.top + box.height;

  const yTicks = niceTicks(0, yMax, 5).map((v) =>
    fragment([
      el('line', { class: 'grid', x1: box.left, x2: right, y1: px(y(v)), y2: px(y(v)) }),
      el('text', { class: 'tick', x: box.left - 6, y: px(y(v)) + 4, 'text-anchor': 'end' }, text(formatCount(v))),
    ]),
  );
  const [x0, x1] = input.xDomainMs;
  const xTicks = niceTicks(x0 / 1000, x1 / 1000, 10).map((s) =>
    fragment([
      el('line', { class: 'grid', x1: px(input.x(s * 1000)), x2: px(input.x(s * 1000)), y1: box.top, y2: bottom }),
      el('text', { class: 'tick', x: px(input.x(s * 1000)), y: bottom + 16, 'text-anchor': 'middle' }, text(`${s}`)),
    ]),
  );
  const lines = input.series.map((s) => {
    const points = downsample(s.points, input.columns, input.xDomainMs);
    if (points.length === 0) return undefined;
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(input.x(p.x))},${px(y(p.y))}`).join('');
    return el('path', { class: 'series', d, stroke: input.colourOf(s.colourKey ?? s.name), 'data-group': s.name }, el('title', {}, text(`${s.name} ${input.title}`)));
  });
  const titleY = box.top + box.height / 2;
  return el(
    'g',
    { class: 'panel', id: input.id },
    fragment(yTicks),
    fragment(xTicks),
    el('rect', { class: 'frame', x: box.left, y: box.top, width: box.width, height: box.height }),
    el('text', { class: 'axis-title', x: 16, y: titleY, transform: `rotate(-90 16 ${titleY})`, 'text-anchor': 'middle' }, text(`${input.title} (${input.unit})`)),
    el('g', { class: 'lines', 'clip-path': `url(#clip-${input.id})` }, el('clipPath', { id: `clip-${input.id}` }, el('rect', { x: box.left, y: box.top - 2, width: box.width, height: box.height + 4 })), fragment(lines)),
  );
}

/** The largest y of any series (0 at least), by a loop: spreading 86 400 samples overflows the stack. */
function highest(series: readonly Series[]): number {
  let max = 0;
  for (const s of series) for (const p of s.points) if (p.y > max && Number.isFinite(p.y)) max = p.y;
  return max;
}
