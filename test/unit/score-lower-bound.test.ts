import { describe, expect, it } from 'vitest';
import { formatSeconds, ruleForWindowMs } from '../../src/score/index.ts';

describe('ruleForWindowMs', () => {
  it.each([
    ['throughput(group=inventory) < 50/s for 10s', 10_000],
    ['lag(group=decision) > 1000 for 2m', 120_000],
    ['invalid_rate(agent=fulfillment) > 0 for 500ms  ', 500],
    ['invalid_rate(agent=fulfillment) > 0', 0],
    ['memory(agent=fulfillment) > 200MB for ever', 0],
  ])('%s → %d', (rule, ms) => expect(ruleForWindowMs(rule)).toBe(ms));
});

describe('formatSeconds', () => {
  it.each([
    [20_000, '20s'],
    [24_100, '24.1s'],
    [24_149, '24.1s'],
    [90_000, '90s'],
    [0, '0s'],
    [250, '0.3s'],
  ])('%d → %s', (ms, text) => expect(formatSeconds(ms)).toBe(text));
});
