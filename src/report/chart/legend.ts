import { el, fragment, text, type Svg } from '../svg.ts';
import type { MarkerKind } from './marker-layer.ts';

const markerNames: Record<MarkerKind, string> = {
  fault: 'fault injected',
  alert: 'alert firing',
  step: 'runbook step',
  recovered: 'recovered',
  oom: 'OOM exit',
  exit: 'unexpected exit',
  rebalance: 'group rebalance',
  observation: 'fault observation',
};
/** Always listed, so a reader learns from the legend that an alert or recovery never happened. */
const alwaysShown: MarkerKind[] = ['fault', 'alert', 'step', 'recovered'];
export const legendRowHeight = 20;

/**
 * Series colours on the first rows, marker kinds on the next, wrapping at `width`. Returns the
 * group and the number of rows it used so the panels can start below it.
 */
export function renderLegend(names: readonly string[], colourOf: (n: string) => string, kinds: readonly MarkerKind[], left: number, width: number): { svg: Svg; rows: number } {
  const items: Svg[] = [];
  let row = 0;
  let cursor = left;
  const place = (swatch: Svg, label: string, first: boolean) => {
    const w = 34 + label.length * 7;
    // Marker kinds start a row of their own; anything else wraps only when it would overflow.
    if (cursor > left && (first || cursor + w > left + width)) {
      row++;
      cursor = left;
    }
    items.push(el('g', { transform: `translate(${cursor} ${18 + row * legendRowHeight})` }, swatch, el('text', { x: 22, y: 4 }, text(label))));
    cursor += w;
  };
  names.forEach((n, i) => place(el('line', { class: 'swatch', x1: 0, x2: 16, y1: 0, y2: 0, stroke: colourOf(n) }), n, i === 0));
  const shown = (Object.keys(markerNames) as MarkerKind[]).filter((k) => alwaysShown.includes(k) || kinds.includes(k));
  shown.forEach((k, i) => place(el('line', { class: `marker-${k}`, x1: 8, x2: 8, y1: -7, y2: 7 }), markerNames[k], i === 0));
  return { svg: el('g', { class: 'legend' }, fragment(items)), rows: row + 1 };
}

