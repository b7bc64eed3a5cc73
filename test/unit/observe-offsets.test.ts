import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupOffsetsFrom } from '../../src/observe/offsets.ts';

const partition = fc
  .record({ low: fc.nat(1e9), size: fc.nat(1e6), committed: fc.option(fc.integer({ min: -1, max: 1_001_000_000 }), { nil: undefined }) })
  .map(({ low, size, committed }) => ({ low, high: low + size, committed }));

describe("a group's offsets on its topic", () => {
  it('lag is the high watermark less the committed offset, never below zero; an uncommitted partition counts from its low watermark', () => {
    fc.assert(
      fc.property(fc.array(partition, { maxLength: 50 }), (parts) => {
        const watermarks = parts.map((p, i) => ({ partition: i, offset: String(p.high), high: String(p.high), low: String(p.low) }));
        const committed = parts.flatMap((p, i) => (p.committed === undefined ? [] : [{ partition: i, offset: String(p.committed), metadata: null }]));
        const got = groupOffsetsFrom(watermarks, committed);
        const position = (p: (typeof parts)[number]) => (p.committed !== undefined && p.committed >= 0 ? p.committed : p.low);
        expect(got.partitions.map((p) => p.lag)).toEqual(parts.map((p) => Math.max(0, p.high - position(p))));
        expect(got.partitions.map((p) => p.committed)).toEqual(parts.map((p) => (p.committed !== undefined && p.committed >= 0 ? p.committed : -1)));
        expect(got.lag).toBe(got.partitions.reduce((n, p) => n + p.lag, 0));
        expect(got.committed).toBe(parts.reduce((n, p) => n + position(p), 0));
        expect(got.lag).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
