import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newBucket, takeTokens } from '../../src/load/token-bucket.ts';

/** Drives the bucket with ticks every `tickMs` for `seconds`; answers the events sent per tick. */
function run(rate: number, tickMs: number, seconds: number): number[] {
  let bucket = newBucket(0);
  const sent: number[] = [];
  for (let now = tickMs; now <= seconds * 1000; now += tickMs) {
    const r = takeTokens(bucket, now, rate);
    bucket = r.bucket;
    sent.push(r.take);
  }
  return sent;
}

describe('token bucket pacing', () => {
  it('sends the configured rate on average', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.constantFrom(10, 20, 50), (rate, tickMs) => {
        const total = run(rate, tickMs, 10).reduce((a, b) => a + b, 0);
        expect(Math.abs(total - rate * 10)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('spreads 200/s over small batches instead of one burst per second', () => {
    const sent = run(200, 20, 2);
    expect(Math.max(...sent)).toBeLessThanOrEqual(5);
    expect(sent.filter((n) => n > 0).length).toBeGreaterThan(90);
  });

  it('caps what a stalled producer can burst afterwards', () => {
    const stalled = takeTokens(newBucket(0), 10_000, 100);
    expect(stalled.take).toBe(25);
  });

  it('respects maxTake and keeps the rest', () => {
    const r = takeTokens({ tokens: 0, at: 0 }, 1000, 1000, 100);
    expect(r.take).toBe(100);
    expect(r.bucket.tokens).toBe(150);
  });

  it('sends nothing at rate 0, and handles a clock going backwards', () => {
    expect(run(0, 20, 5).every((n) => n === 0)).toBe(true);
    expect(takeTokens({ tokens: 0.5, at: 1000 }, 900, 100).take).toBe(0);
  });
});
