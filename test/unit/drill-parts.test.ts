import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { drillIdFor } from '../../src/drill/prepare.ts';
import { within } from '../../src/drill/within.ts';

describe('drill id', () => {
  const now = new Date('2026-11-23T22:54:29.123Z');

  it('keeps a short scenario name whole: name, UTC stamp, random suffix', () => {
    expect(drillIdFor('kill-consumer', now)).toMatch(/^kill-consumer-20261123-225429-[0-9a-f]{6}$/);
  });

  it('keeps a long name whole too (containers dial short network aliases, never names carrying the id)', () => {
    expect(drillIdFor('memory-growth-reactive', now)).toMatch(/^memory-growth-reactive-20261123-225429-[0-9a-f]{6}$/);
  });
});

describe('within (the drill waits for a milestone, a deadline or Ctrl-C)', () => {
  it('answers the value, or undefined at the deadline', async () => {
    const never = new Promise<number>(() => undefined);
    expect(await within(Promise.resolve(7), 1000, systemClock, new AbortController().signal)).toBe(7);
    expect(await within(never, 20, systemClock, new AbortController().signal)).toBeUndefined();
  });

  it('returns at once when the drill was aborted before the wait began', async () => {
    const aborted = new AbortController();
    aborted.abort();
    const startedAt = Date.now();
    expect(await within(new Promise<number>(() => undefined), 60_000, systemClock, aborted.signal)).toBeUndefined();
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });

  it('returns when aborted during the wait', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    expect(await within(new Promise<number>(() => undefined), 60_000, systemClock, controller.signal)).toBeUndefined();
  });
});
