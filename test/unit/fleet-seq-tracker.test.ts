import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countUnion, SeqTracker } from '../../src/integrity/seq-tracker.ts';

const seqs = fc.array(fc.integer({ min: 1, max: 20_000 }), { maxLength: 400 });

describe('SeqTracker', () => {
  it('counts distinct and duplicated deliveries like a Set', () => {
    fc.assert(
      fc.property(seqs, (delivered) => {
        const tracker = new SeqTracker();
        const model = new Set<number>();
        for (const seq of delivered) {
          expect(tracker.add(seq)).toBe(!model.has(seq));
          model.add(seq);
        }
        expect(tracker.received).toBe(delivered.length);
        expect(tracker.distinct).toBe(model.size);
        expect(tracker.duplicated).toBe(delivered.length - model.size);
        expect(tracker.maxSeq).toBe(model.size ? Math.max(...model) : 0);
        for (const seq of delivered) expect(tracker.has(seq)).toBe(true);
      }),
    );
  });

  it('survives a snapshot round trip (the sink restarting from its checkpoint)', () => {
    fc.assert(
      fc.property(seqs, seqs, (before, after) => {
        const first = new SeqTracker();
        before.forEach((s) => first.add(s));
        const resumed = new SeqTracker(first.snapshot());
        after.forEach((s) => resumed.add(s));
        const model = new Set([...before, ...after]);
        expect(resumed.distinct).toBe(model.size);
        expect(resumed.received).toBe(before.length + after.length);
      }),
    );
  });

  it('counts the union of several sinks up to a bound', () => {
    fc.assert(
      fc.property(fc.array(seqs, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 25_000 }), (perSink, upTo) => {
        const bitmaps = perSink.map((list) => {
          const t = new SeqTracker();
          list.forEach((s) => t.add(s));
          return t.snapshot().bits;
        });
        const model = new Set(perSink.flat().filter((s) => s <= upTo));
        expect(countUnion(bitmaps, upTo)).toBe(model.size);
      }),
    );
  });

  it('ignores seqs that are not positive integers', () => {
    const t = new SeqTracker();
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 60]) expect(t.add(bad)).toBe(false);
    expect(t.received).toBe(0);
  });
});
