import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downsample } from '../../src/report/chart/downsample.ts';
import { extentOf, niceMax, niceTicks } from '../../src/report/chart/scale.ts';
import { el, escapeXml, text } from '../../src/report/svg.ts';

describe('downsample', () => {
  it('keeps at most two points per column, the global extremes, and time order', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 5000 }), fc.integer({ min: 1, max: 800 }), (ys, columns) => {
        const points = ys.map((y, x) => ({ x, y }));
        const out = downsample(points, columns);
        expect(out.length).toBeLessThanOrEqual(Math.max(2 * columns, points.length <= 2 * columns ? points.length : 0));
        expect(Math.max(...out.map((p) => p.y))).toBe(Math.max(...ys));
        expect(Math.min(...out.map((p) => p.y))).toBe(Math.min(...ys));
        for (let i = 1; i < out.length; i++) expect(out[i]!.x).toBeGreaterThan(out[i - 1]!.x);
      }),
    );
  });

  it('buckets by time, not by index: a gap in sampling leaves its columns empty', () => {
    const points = [...Array.from({ length: 1000 }, (_, x) => ({ x, y: x % 7 })), ...Array.from({ length: 1000 }, (_, i) => ({ x: 9000 + i, y: i % 5 }))];
    const out = downsample(points, 100, [0, 10_000]);
    // 10 of the 100 columns hold the first run and 10 the second, two points each.
    expect(out).toHaveLength(40);
    expect(out.filter((p) => p.x > 1000 && p.x < 9000)).toEqual([]);
  });
});

describe('extentOf', () => {
  it('handles more values than fit on the call stack, and ignores non-finite ones', () => {
    const values = Array.from({ length: 500_000 }, (_, i) => Math.sin(i) * i);
    values.push(Number.NaN, Number.POSITIVE_INFINITY);
    const extent = extentOf(values)!;
    expect(extent[0]).toBeLessThan(-499_000);
    expect(extent[1]).toBeGreaterThan(499_000);
    expect(extentOf([Number.NaN])).toBeUndefined();
  });
});

describe('niceTicks / niceMax', () => {
  it('produces round steps covering the range', () => {
    expect(niceTicks(-20, 60, 10)).toEqual([-20, -10, 0, 10, 20, 30, 40, 50, 60]);
    expect(niceTicks(0, 3000, 5)).toEqual([0, 1000, 2000, 3000]);
    expect(niceTicks(0, 0.9, 10)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(niceMax(2100)).toBe(3000);
    fc.assert(fc.property(fc.double({ min: 0.001, max: 1e9, noNaN: true }), (m) => {
      expect(niceMax(m)).toBeGreaterThanOrEqual(m);
    }));
    expect(niceMax(0)).toBe(1);
  });

  it('ends for any finite range, even where a step is below the float spacing or the span overflows', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 12 }), (a, b, count) => {
        const ticks = niceTicks(Math.min(a, b), Math.max(a, b), count);
        expect(ticks.length).toBeGreaterThan(0);
        expect(ticks.length).toBeLessThanOrEqual(50);
      }),
    );
    expect(niceTicks(8.64e12, 8.64e12 + 0.001, 10).length).toBeGreaterThan(0);
    expect(niceTicks(-1.7e308, 1.7e308, 5).length).toBeGreaterThan(0);
    expect(Number.isFinite(niceMax(1.7e308))).toBe(true);
  });
});

describe('svg builder', () => {
  it('escapes attributes and text', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(el('text', { 'data-x': '"><script>' }, text('<b>'))).toBe('<text data-x="&quot;&gt;&lt;script&gt;">&lt;b&gt;</text>');
  });
});
