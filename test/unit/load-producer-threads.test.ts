import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { producerThreadsFor, threadedAbovePerSec } from '../../src/load/index.ts';
import { threadOf } from '../../src/load/producer-threads.ts';

describe('producer threads', () => {
  it('stay off at the drills’ rates and use one per core, 2 to 4, beyond', () => {
    expect(producerThreadsFor(100, 2)).toBe(0);
    expect(producerThreadsFor(threadedAbovePerSec, 8)).toBe(0);
    expect(producerThreadsFor(threadedAbovePerSec + 1, 1)).toBe(2);
    expect(producerThreadsFor(20_000, 3)).toBe(3);
    expect(producerThreadsFor(20_000, 64)).toBe(4);
    expect(producerThreadsFor(Number.NaN, 4)).toBe(0);
  });

  it('send one key always on one thread, and spread keyless events evenly', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 8 }), fc.nat(999), (key, threads, index) => {
        const t = threadOf({ key, value: 'v' }, index, 1000, threads);
        expect(t).toBeGreaterThanOrEqual(0);
        expect(t).toBeLessThan(threads);
        expect(threadOf({ key: Buffer.from(key, 'latin1'), value: 'w' }, 999 - index, 1000, threads)).toBe(threadOf({ key: Buffer.from(key, 'latin1'), value: 'v' }, 0, 1, threads));
        expect(threadOf({ key, value: 'w' }, 0, 7, threads)).toBe(t);
      }),
    );
    const keyless = Array.from({ length: 1000 }, (_, i) => threadOf({ value: 'v' }, i, 1000, 4));
    expect([0, 1, 2, 3].map((t) => keyless.filter((x) => x === t).length)).toEqual([250, 250, 250, 250]);
  });
});
