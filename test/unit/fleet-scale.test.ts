import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAgentdrillError } from '../../src/core/errors.ts';
import { ProfileCache } from '../../src/reference-fleet/profile-cache.ts';
import { backoffDelay, defaultRestartPolicy } from '../../src/fleet/restart-policy.ts';
import { maxReplicas, parseScaleTarget } from '../../src/fleet/scale.ts';
import { teamTopology } from '../../src/fleet/team/topology.ts';
import { orderPipelineDefinition } from '../helpers/order-pipeline.ts';

describe('scale argument', () => {
  it.each([
    [3, 1, 3],
    ['3', 1, 3],
    ['+2', 1, 3],
    ['-1', 3, 2],
    [' +1 ', 0, 1],
    ['-5', 2, 0],
    ['0', 4, 0],
  ])('%s from %s replicas is %s', (requested, current, expected) => {
    expect(parseScaleTarget(requested, current)).toBe(expected);
  });

  it.each(['', 'two', '+', '1.5', '++1', '3x', -1, 99])('rejects %s as a usage error', (requested) => {
    let error: unknown;
    try {
      parseScaleTarget(requested, 1);
    } catch (e) {
      error = e;
    }
    expect(isAgentdrillError(error) && error.code).toBe('USAGE');
  });

  it('relative changes land within 0..max', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: maxReplicas }), fc.integer({ min: 0, max: maxReplicas }), (current, n) => {
        const down = parseScaleTarget(`-${n}`, current);
        expect(down).toBe(Math.max(0, current - n));
        if (current + n <= maxReplicas) expect(parseScaleTarget(`+${n}`, current)).toBe(current + n);
      }),
    );
  });
});

describe('restart backoff', () => {
  it('doubles from 250 ms and stops at 5 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => backoffDelay(defaultRestartPolicy, n))).toEqual([
      250, 500, 1000, 2000, 4000, 5000, 5000, 5000,
    ]);
  });
});

describe('profile cache', () => {
  it('a shorter TTL frees entries at the next sweep', () => {
    const cache = new ProfileCache<number>();
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, i, i * 10);
    expect(cache.sweep(1000, 60_000)).toBe(0);
    expect(cache.sweep(1000, 500)).toBe(50);
    expect(cache.size).toBe(50);
    expect(cache.get('k99', 1000, 500)).toBe(99);
    expect(cache.get('k99', 1000, 5)).toBeUndefined();
    expect(cache.clear()).toBe(50);
  });
});

describe('topology', () => {
  it('prefixes the order pipeline\'s topics and groups and maps each group to its input topic', () => {
    const t = teamTopology(orderPipelineDefinition(), 'd1-');
    expect(t.topics).toEqual({ orders: 'd1-orders', 'inventory-checked': 'd1-inventory-checked', decisions: 'd1-decisions', fulfilled: 'd1-fulfilled' });
    expect(t.groups.inventory).toBe('d1-inventory');
    expect(t.groupTopics['d1-inventory']).toBe('d1-orders');
    expect(t.groupTopics['d1-sink']).toBe('d1-fulfilled');
    expect(Object.keys(t.groupTopics)).toHaveLength(4);
  });
});
