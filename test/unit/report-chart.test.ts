import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downsample } from '../../src/report/chart/downsample.ts';
import { niceMax, niceTicks } from '../../src/report/chart/scale.ts';
import { el, escapeXml, text } from '../../src/report/svg.ts';

describe('downsample', () => {
  it('caps the length and keeps the global extremes', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 5000 }), fc.integer({ min: 4, max: 800 }), (ys, max) => {
        const points = ys.map((y, x) => ({ x, y }));
        const out = downsample(points, max);
        expect(out.length).toBeLessThanOrEqual(Math.max(max, points.length <= max ? points.length : 0));
        expect(Math.max(...out.map((p) => p.y))).toBe(Math.max(...ys));
        expect(Math.min(...out.map((p) => p.y))).toBe(Math.min(...ys));
        for (let i = 1; i < out.length; i++) expect(out[i]!.x).toBeGreaterThan(out[i - 1]!.x);
      }),
    );
  });
});

describe('niceTicks / niceMax', () => {
  it('produces round steps covering the range', () => {
    expect(niceTicks(-20, 60, 10)).toEqual([-20, -10, 0, 10, 20, 30, 40, 50, 60]);
    expect(niceTicks(0, 3000, 5)).toEqual([0, 1000, 2000, 3000]);
    expect(niceMax(2100)).toBe(3000);
    fc.assert(fc.property(fc.double({ min: 0.001, max: 1e9, noNaN: true }), (m) => {
      expect(niceMax(m)).toBeGreaterThanOrEqual(m);
    }));
    expect(niceMax(0)).toBe(1);
  });
});

describe('svg builder', () => {
  it('escapes attributes and text', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(el('text', { 'data-x': '"><script>' }, text('<b>'))).toBe('<text data-x="&quot;&gt;&lt;script&gt;">&lt;b&gt;</text>');
  });
});
