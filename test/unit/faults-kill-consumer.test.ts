import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAgentdrillError } from '../../src/core/errors.ts';
import type { JournalEvent } from '../../src/core/journal.ts';
import { Journal } from '../../src/core/journal.ts';
import type { FaultContext } from '../../src/faults/fault.ts';
import { pickInstance } from '../../src/faults/pick-instance.ts';
import { rebalanceFigures } from '../../src/faults/rebalance-figures.ts';
import { createFault } from '../../src/faults/registry.ts';
import type { InstanceInfo, StartedFleet } from '../../src/fleet/types.ts';
import { referenceFault, referenceFaultOk } from '../helpers/faults.ts';

/** A journal of inventory samples every 250 ms: [lag, committed, state] per tick, injection at tick `t0Tick`. */
function journalOf(ticks: [number, number, string][], t0Tick: number, healthyFromTick = 0): JournalEvent[] {
  const events: JournalEvent[] = [];
  let state: string | undefined;
  ticks.forEach(([lag, committed, s], i) => {
    const at = i * 250;
    if (i === t0Tick) {
      events.push({ type: 'baseline.healthy', at, payload: { windowStartAt: healthyFromTick * 250 } });
      events.push({ type: 'fault.injected', at, payload: { fault: 'kill-consumer', detail: {} } });
    }
    events.push({ type: 'sample', at, payload: { groups: { inventory: { lag, committed, throughput: 0, state: s } }, agents: {}, counters: {} } });
    if (s !== state) events.push({ type: 'group.state', at, payload: { group: 'inventory', from: state, to: s } });
    state = s;
  });
  events.push({ type: 'fault.removed', at: ticks.length * 250, payload: { fault: 'kill-consumer' } });
  return events;
}

describe('rebalance figures from the journal', () => {
  it('measures the stall, the state round trip and the lag spike over the baseline window', () => {
    const ticks: [number, number, string][] = [
      [900, 0, 'Stable'], // start-up backlog: before the healthy window, so not baseline
      [4, 10, 'Stable'],
      [6, 20, 'Stable'],
      [4, 30, 'Stable'], // t0
      [30, 35, 'Stable'],
      [80, 40, 'PreparingRebalance'],
      [150, 40, 'PreparingRebalance'],
      [220, 40, 'PreparingRebalance'],
      [300, 40, 'Stable'],
      [120, 200, 'Stable'],
      [5, 320, 'Stable'],
    ];
    const f = rebalanceFigures(journalOf(ticks, 3, 1), 'inventory')!;
    expect(f.pauseMs).toBe(4 * 250); // committed 40 from tick 5 until it moved at tick 9
    expect(f.baselinePauseMs).toBe(250); // healthy: every sample of the window advanced
    expect(f.rebalanceObserved).toBe(true);
    expect(f.states).toBe('Stable>PreparingRebalance>Stable');
    expect(f.leftStableAfterMs).toBe(2 * 250);
    expect(f.stableAgainAfterMs).toBe(5 * 250);
    expect(f.baselineLag).toBe(5);
    expect(f.maxLag).toBe(300);
    expect(f.lagSpikeRatio).toBe(60);
  });

  it('guards the ratio against a zero baseline and counts a stall only from the last idle sample', () => {
    const ticks: [number, number, string][] = [
      [0, 10, 'Stable'],
      [0, 10, 'Stable'], // t0: nothing to consume, offsets still
      [0, 10, 'Stable'],
      [0, 10, 'Stable'],
      [12, 10, 'Stable'],
      [0, 22, 'Stable'],
    ];
    const f = rebalanceFigures(journalOf(ticks, 1), 'inventory')!;
    expect(f.lagSpikeRatio).toBe(12);
    expect(f.rebalanceObserved).toBe(false);
    expect(f.pauseMs).toBe(2 * 250); // lag 0 at tick 3, first advance at tick 5
  });

  it('has nothing to say without an injection', () => {
    expect(rebalanceFigures([], 'inventory')).toBeUndefined();
  });
});

function fleetOf(count: number, random: () => number = () => 0, states: InstanceInfo['state'][] = []) {
  const killed: string[] = [];
  const instances: InstanceInfo[] = Array.from({ length: count }, (_, i) => ({
    id: `inventory-${i + 1}`, agent: 'inventory', pid: 100 + i, state: states[i] ?? 'running', restarts: 0, adminUrl: '',
  }));
  const fleet = {
    instances: () => instances,
    topology: { groups: { inventory: 'p-inventory' }, groupAgents: { inventory: 'inventory' } },
    killInstance: (id: string, signal: string) => {
      killed.push(`${id} ${signal}`);
      return Promise.resolve();
    },
  } as unknown as StartedFleet;
  const clock = { now: () => 0 } as unknown as FaultContext['clock'];
  const context: FaultContext = { fleet, clock, journal: new Journal(clock), admin: {} as FaultContext['admin'], toxiproxy: {} as FaultContext['toxiproxy'], proxies: {}, random, cacheDir: '/nonexistent' };
  return { context, killed };
}

describe('kill-consumer fault', () => {
  it('parses with defaults: the first inventory instance, SIGKILL', () => {
    expect(referenceFault({ type: 'kill-consumer' })).toEqual({ type: 'kill-consumer', agent: 'inventory', instance: 1, signal: 'SIGKILL' });
    expect(referenceFault({ type: 'kill-consumer', instance: 'random', signal: 'SIGTERM' })).toEqual({ type: 'kill-consumer', agent: 'inventory', instance: 'random', signal: 'SIGTERM' });
    expect(() => referenceFault({ type: 'kill-consumer', agent: 'load' })).toThrow();
  });

  it('refuses signals that do not end a process, instances that are neither a number nor random', () => {
    for (const bad of [{ signal: 'SIGHUP' }, { signal: 'sigkill' }, { signal: 9 }, { instance: 0 }, { instance: 33 }, { instance: 1.5 }, { instance: 'any' }, { instance: 'Random' }]) {
      expect(referenceFaultOk({ type: 'kill-consumer', ...bad }), JSON.stringify(bad)).toBe(false);
    }
    for (const signal of ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGABRT']) expect(referenceFaultOk({ type: 'kill-consumer', signal })).toBe(true);
  });

  it('SIGKILLs the chosen member and names it', async () => {
    const { context, killed } = fleetOf(5);
    const injected = await createFault({ type: 'kill-consumer', agent: 'inventory', instance: 3, signal: 'SIGKILL' }).inject(context);
    expect(killed).toEqual(['inventory-3 SIGKILL']);
    expect(injected.detail).toMatchObject({ instanceId: 'inventory-3', instance: 3, chosen: 'fixed', signal: 'SIGKILL', group: 'p-inventory', members: 5 });
    const assessment = await injected.assess!(context);
    expect(assessment).toEqual({ figures: { killed: 'inventory-3', signal: 'SIGKILL' }, failures: [] });
  });

  it('draws a random member with the injected source and records which one', async () => {
    // 0.5 of 4 running → the third; the stopped second is never a candidate.
    const { context, killed } = fleetOf(5, () => 0.5, ['running', 'stopped']);
    const fault = createFault({ type: 'kill-consumer', agent: 'inventory', instance: 'random', signal: 'SIGTERM' });
    expect(fault.describe()).toMatch(/^SIGTERM a random running instance of inventory \(a clean leave if the agent handles SIGTERM/);
    const injected = await fault.inject(context);
    expect(killed).toEqual(['inventory-4 SIGTERM']);
    expect(injected.detail).toMatchObject({ instanceId: 'inventory-4', instance: 3, chosen: 'random', signal: 'SIGTERM', members: 4 });
    expect(injected.describe!()).toMatch(/^SIGTERM inventory-4 \(instance #3 of 4, drawn at random; /);
  });

  it('describes a SIGKILL as no clean leave', () => {
    expect(createFault({ type: 'kill-consumer', agent: 'inventory', instance: 2, signal: 'SIGKILL' }).describe()).toBe(
      'SIGKILL inventory instance #2 (no clean leave: its partitions stall until its session times out)',
    );
  });

  it('refuses an instance the group does not have, and a random pick among none', async () => {
    const { context } = fleetOf(2);
    const error: unknown = await createFault({ type: 'kill-consumer', agent: 'inventory', instance: 5, signal: 'SIGKILL' }).inject(context).catch((e: unknown) => e);
    expect(isAgentdrillError(error) && error.code).toBe('FAULT_FAILED');
    const none = fleetOf(2, () => 0.3, ['stopped', 'exited']);
    const noneError: unknown = await createFault({ type: 'kill-consumer', agent: 'inventory', instance: 'random', signal: 'SIGKILL' }).inject(none.context).catch((e: unknown) => e);
    expect(isAgentdrillError(noneError) && noneError.code).toBe('FAULT_FAILED');
    expect(none.killed).toEqual([]);
  });
});

describe('instance choice', () => {
  it('a numbered choice is that position in start order, or nothing past the end', () => {
    expect(pickInstance(['a', 'b', 'c'], 2, () => 0.99)).toEqual({ instance: 'b', position: 2 });
    expect(pickInstance(['a', 'b', 'c'], 4, () => 0)).toBeUndefined();
  });

  it('a random choice is always one of the running, and each is reachable', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 32 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (running, r) => {
        const picked = pickInstance(running, 'random', () => r)!;
        expect(picked.position).toBeGreaterThanOrEqual(1);
        expect(picked.position).toBeLessThanOrEqual(running.length);
        expect(picked.instance).toBe(running[picked.position - 1]);
      }),
      { numRuns: 500 },
    );
    const seen = new Set([0, 0.26, 0.51, 0.76, 0.999999].map((r) => pickInstance(['a', 'b', 'c', 'd'], 'random', () => r)!.instance));
    expect([...seen].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(pickInstance([], 'random', () => 0.5)).toBeUndefined();
  });
});
