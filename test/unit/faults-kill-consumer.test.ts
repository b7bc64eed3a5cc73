import { describe, expect, it } from 'vitest';
import { isAgentdrillError } from '../../src/core/errors.ts';
import type { JournalEvent } from '../../src/core/journal.ts';
import { Journal } from '../../src/core/journal.ts';
import type { FaultContext } from '../../src/faults/fault.ts';
import { rebalanceFigures } from '../../src/faults/rebalance-figures.ts';
import { createFault } from '../../src/faults/registry.ts';
import type { ReferenceFleet } from '../../src/fleet/index.ts';
import type { InstanceInfo } from '../../src/fleet/types.ts';
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

function fleetOf(count: number) {
  const killed: string[] = [];
  const instances: InstanceInfo[] = Array.from({ length: count }, (_, i) => ({
    id: `inventory-${i + 1}`, agent: 'inventory', pid: 100 + i, state: 'running', restarts: 0, adminUrl: '',
  }));
  const fleet = {
    instances: () => instances,
    topology: { groups: { inventory: 'p-inventory' }, groupAgents: { inventory: 'inventory' } },
    killInstance: (id: string, signal: string) => {
      killed.push(`${id} ${signal}`);
      return Promise.resolve();
    },
  } as unknown as ReferenceFleet;
  const clock = { now: () => 0 } as unknown as FaultContext['clock'];
  const context: FaultContext = { fleet, clock, journal: new Journal(clock), admin: {} as FaultContext['admin'], toxiproxy: {} as FaultContext['toxiproxy'], proxies: {} };
  return { context, killed };
}

describe('kill-consumer fault', () => {
  it('parses with defaults: the first inventory instance', () => {
    expect(referenceFault({ type: 'kill-consumer' })).toEqual({ type: 'kill-consumer', agent: 'inventory', instance: 1 });
    expect(() => referenceFault({ type: 'kill-consumer', agent: 'load' })).toThrow();
  });

  it('SIGKILLs the chosen member and names it', async () => {
    const { context, killed } = fleetOf(5);
    const injected = await createFault({ type: 'kill-consumer', agent: 'inventory', instance: 3 }).inject(context);
    expect(killed).toEqual(['inventory-3 SIGKILL']);
    expect(injected.detail).toMatchObject({ instanceId: 'inventory-3', group: 'p-inventory', members: 5 });
    const assessment = await injected.assess!(context);
    expect(assessment).toEqual({ figures: { killed: 'inventory-3' }, failures: [] });
  });

  it('refuses an instance the group does not have', async () => {
    const { context } = fleetOf(2);
    const error: unknown = await createFault({ type: 'kill-consumer', agent: 'inventory', instance: 5 }).inject(context).catch((e: unknown) => e);
    expect(isAgentdrillError(error) && error.code).toBe('FAULT_FAILED');
  });
});
