import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CounterIncrease } from '../../src/observe/counter-increase.ts';
import { SlidingRate } from '../../src/observe/rate.ts';

describe('CounterIncrease', () => {
  it('counts a restart of one of two instances as growth, where the sum falls', () => {
    const c = new CounterIncrease();
    c.observe('scorer-1', 100);
    c.observe('scorer-2', 50); // the sum is 150: counting starts here
    c.observe('scorer-1', 110);
    c.observe('scorer-2', 55);
    expect(c.increase).toBe(15);
    c.observe('scorer-1', 4); // restarted: 4 new since, though the sum fell from 165 to 59
    c.observe('scorer-2', 60);
    expect(c.increase).toBe(24);
  });

  it('ignores values that are no count (NaN, infinities), and a gauge going negative', () => {
    const c = new CounterIncrease();
    c.observe('a', 10);
    c.observe('a', NaN);
    c.observe('a', Infinity);
    c.observe('a', 12);
    c.observe('a', -5);
    c.observe('a', -1);
    expect(c.increase).toBe(6);
  });

  /**
   * Instances whose true counters grow and sometimes restart from zero; each is observed after
   * every change. A restart is seen when the new value is below the last one, so the model's
   * restarts land below it (a restart that overtakes the old count is invisible to Prometheus too).
   */
  const step = fc.record({ instance: fc.integer({ min: 0, max: 3 }), restart: fc.boolean(), add: fc.integer({ min: 0, max: 1000 }) });

  it('equals the true growth after each instance was first seen, and never falls', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const c = new CounterIncrease();
        const counts = new Map<number, number>();
        let truth = 0;
        let last = 0;
        for (const s of steps) {
          const before = counts.get(s.instance);
          let now: number;
          if (before === undefined) now = s.add;
          else if (s.restart && before > 0) {
            now = s.add % before; // below the last value: a visible reset
            truth += now;
          } else {
            now = before + s.add;
            truth += s.add;
          }
          counts.set(s.instance, now);
          c.observe(`i-${s.instance}`, now);
          expect(c.increase).toBeGreaterThanOrEqual(last);
          last = c.increase;
        }
        expect(c.increase).toBe(truth);
      }),
    );
  });

  it('gives a sliding rate that is never negative, whatever the instances do', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1000 })), { maxLength: 60 }), (values) => {
        const c = new CounterIncrease();
        const rate = new SlidingRate(1000);
        return values.every(([instance, v], i) => {
          c.observe(`i-${instance}`, v);
          return rate.push(i * 250, c.increase) >= 0;
        });
      }),
    );
  });
});
