import { formatSeconds } from '../../score/format.ts';
import type { HistoryEntry } from '../history.ts';
import { versionsText } from '../release-view.ts';
import { el, fragment, px, text, type Svg } from '../svg.ts';
import { extentOf, linearScale, niceMax, niceTicks } from './scale.ts';

const W = 1100;
const H = 250;
const box = { left: 78, right: 24, top: 34, bottom: 52 };
const metrics = [
  { key: 'ttdMs', target: 'detectMs', label: 'time to detect', colour: '#ff7f0e', nudge: -5 },
  { key: 'ttrMs', target: 'recoverMs', label: 'time to recover', colour: '#2ca02c', nudge: 5 },
] as const;

/**
 * TTD and TTR per drill, oldest left, with each drill's targets as dashed reference lines. The x
 * axis is the drill sequence, not calendar time: quarterly drills and a burst of CI runs should
 * both read as a row of comparable points. A figure never measured sits on the top edge, hollow.
 */
export function renderTrend(entries: readonly HistoryEntry[], currentDrillId: string | undefined): Svg {
  const right = W - box.right;
  const bottom = H - box.bottom;
  const values = entries.flatMap((e) => [e.ttdMs ?? 0, e.ttrMs ?? 0, e.targets.detectMs, e.targets.recoverMs]);
  const yMax = niceMax(Math.max(0, extentOf(values)?.[1] ?? 0) / 1000);
  const y = linearScale([0, yMax], [bottom, box.top]);
  const pad = entries.length > 1 ? 0 : 0.5;
  const x = linearScale([-pad - 0.3, entries.length - 1 + pad + 0.3], [box.left, right]);
  const labelEvery = Math.max(1, Math.ceil(entries.length / 12));

  const grid = niceTicks(0, yMax, 5).map((v) =>
    fragment([
      el('line', { class: 'grid', x1: box.left, x2: right, y1: px(y(v)), y2: px(y(v)) }),
      el('text', { class: 'tick', x: box.left - 6, y: px(y(v)) + 4, 'text-anchor': 'end' }, text(`${v}s`)),
    ]),
  );
  const xLabels = entries.map((e, i) =>
    i % labelEvery === 0 || i === entries.length - 1
      ? el('text', { class: 'tick', x: px(x(i)), y: bottom + 16, 'text-anchor': 'middle' }, text(e.at.slice(0, 10)))
      : undefined,
  );
  const layers = metrics.map((m) => {
    // A step per drill: targets change between drills, and a single drill still gets a visible line.
    const clamp = (v: number) => Math.min(right, Math.max(box.left, v));
    const target = path(entries.flatMap((e, i) => {
      const ty = y(e.targets[m.target] / 1000);
      return [[clamp(x(i - 0.5)), ty], [clamp(x(i + 0.5)), ty]] as [number, number][];
    }));
    // A drill that never detected or recovered breaks the line: joining across it would invent a figure.
    const measured = entries.map((e, i) => (e[m.key] === null ? undefined : ([x(i), y(e[m.key]! / 1000)] as [number, number])));
    const dots = entries.map((e, i) => {
      const v = e[m.key];
      const current = e.drillId === currentDrillId;
      const figure = v === null ? 'not measured' : formatSeconds(v);
      return el(
        'circle',
        { class: `dot${v === null ? ' unmeasured' : ''}${current ? ' current' : ''}`, cx: px(x(i) + (v === null ? m.nudge : 0)), cy: px(v === null ? box.top : y(v / 1000)), r: current ? 5.5 : 3.5, stroke: m.colour, fill: v === null ? '#fff' : m.colour },
        el('title', {}, text(`${e.drillId} (${e.at.slice(0, 10)}, ${e.verdict}${e.versions ? `, ${versionsText(e.versions)}` : ''}): ${m.label} ${figure}, target ${formatSeconds(e.targets[m.target])}`)),
      );
    });
    return el(
      'g',
      { class: 'trend-metric', 'data-metric': m.key },
      el('path', { class: 'target', d: target, stroke: m.colour }, el('title', {}, text(`${m.label} target`))),
      measured.filter(Boolean).length > 1 ? el('path', { class: 'series', d: path(measured), stroke: m.colour }) : undefined,
      fragment(dots),
    );
  });
  const legend = metrics.map((m, i) =>
    el(
      'g',
      { transform: `translate(${box.left + i * 300} 14)` },
      el('line', { class: 'swatch', x1: 0, x2: 16, y1: 0, y2: 0, stroke: m.colour }),
      el('line', { class: 'target', x1: 130, x2: 156, y1: 0, y2: 0, stroke: m.colour }),
      el('text', { x: 22, y: 4 }, text(m.label)),
      el('text', { x: 162, y: 4 }, text('target')),
    ),
  );
  return el(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', class: 'timeline trend', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Time to detect and recover across past drills of this scenario' },
    fragment(grid),
    fragment(xLabels),
    el('rect', { class: 'frame', x: box.left, y: box.top, width: right - box.left, height: bottom - box.top }),
    el('text', { class: 'axis-title', x: box.left + (right - box.left) / 2, y: H - 8, 'text-anchor': 'middle' }, text(`drills of this scenario, oldest first (${entries.length})`)),
    ...layers,
    ...legend,
    el('circle', { class: 'dot unmeasured', cx: box.left + 606, cy: 14, r: 3.5, stroke: '#5b6474', fill: '#fff' }),
    el('text', { x: box.left + 616, y: 18 }, text('on the top edge: never detected / recovered')),
  );
}

/** An SVG path through the points; an undefined point ends the segment and the next one starts anew. */
function path(points: readonly (readonly [number, number] | undefined)[]): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (p === undefined) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${px(p[0])},${px(p[1])}`;
    pen = true;
  }
  return d;
}
