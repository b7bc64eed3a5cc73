import { describe, expect, it } from 'vitest';
import { isAgentdrillError } from '../../src/core/errors.ts';
import type { FaultContext } from '../../src/faults/fault.ts';
import { createFault } from '../../src/faults/registry.ts';
import type { ToxicFaultSpec } from '../../src/faults/toxic-kinds.ts';
import { faultSchema } from '../../src/scenario/fault-schemas.ts';
import { resolveFaultTargets, type FleetTargets } from '../../src/scenario/fault-targets.ts';

/** A Toxiproxy API that keeps what it was asked, answering as the real one does (the toxic as created). */
function fakeToxiproxy() {
  const added: Record<string, unknown>[] = [];
  const removed: string[] = [];
  const toxiproxy = {
    get: (proxy: string) =>
      Promise.resolve({
        addToxic: (body: Record<string, unknown>) => {
          added.push({ proxy, ...body });
          return Promise.resolve({ ...body, remove: () => Promise.resolve(void removed.push(`${proxy}/${String(body.name)}`)) });
        },
      }),
  } as unknown as FaultContext['toxiproxy'];
  const context = { toxiproxy, proxies: { 'fraud-api': 'ad-1-fraud-api' }, random: () => 0 } as unknown as FaultContext;
  return { context, added, removed };
}

const on = { target: 'fraud-api', stream: 'downstream', toxicity: 1 } as const;

describe('toxic faults', () => {
  it('add the toxic Toxiproxy knows, with its own attributes, and describe it as injected', async () => {
    const cases: [ToxicFaultSpec, object, string][] = [
      [{ type: 'latency', ...on, latencyMs: 300, jitterMs: 50 }, { type: 'latency', attributes: { latency: 300, jitter: 50 } }, 'latency 300ms ±50ms on fraud-api (its answers)'],
      [{ type: 'timeout', ...on, timeoutMs: 5000 }, { type: 'timeout', attributes: { timeout: 5000 } }, 'timeout: nothing passes, each connection closed after 5s on fraud-api (its answers)'],
      [{ type: 'timeout', ...on, timeoutMs: 0 }, { type: 'timeout', attributes: { timeout: 0 } }, 'timeout: nothing passes, connections hang until the fault is removed on fraud-api (its answers)'],
      [{ type: 'bandwidth', ...on, kbPerSec: 1500 }, { type: 'bandwidth', attributes: { rate: 1500 } }, 'bandwidth limited to 1.5MB/s on fraud-api (its answers)'],
      [{ type: 'reset-peer', ...on, stream: 'upstream', timeoutMs: 250 }, { type: 'reset_peer', stream: 'upstream', attributes: { timeout: 250 } }, 'connections reset (TCP RST) 250ms after their first data on fraud-api (requests to it)'],
      [{ type: 'slow-close', ...on, toxicity: 0.25, delayMs: 2000 }, { type: 'slow_close', toxicity: 0.25, attributes: { delay: 2000 } }, 'closes delayed by 2s on fraud-api (its answers, 25% of connections)'],
    ];
    for (const [spec, toxic, description] of cases) {
      const { context, added } = fakeToxiproxy();
      const fault = createFault(spec);
      expect(fault.describe()).toBe(description);
      const injected = await fault.inject(context);
      expect(added).toEqual([{ proxy: 'ad-1-fraud-api', name: `agentdrill-${spec.type}`, stream: spec.stream, toxicity: spec.toxicity, ...toxic }]);
      expect(injected.detail).toMatchObject({ target: 'fraud-api', proxy: 'ad-1-fraud-api', stream: spec.stream, toxic: { name: `agentdrill-${spec.type}`, ...toxic } });
    }
  });

  it('keep the figures the journal has always had for latency', async () => {
    const { context } = fakeToxiproxy();
    const injected = await createFault({ type: 'latency', ...on, latencyMs: 100, jitterMs: 0 }).inject(context);
    expect(injected.detail).toMatchObject({ target: 'fraud-api', latencyMs: 100, jitterMs: 0, toxicity: 1 });
  });

  it('remove the toxic once, however often removal is asked', async () => {
    const { context, removed } = fakeToxiproxy();
    const injected = await createFault({ type: 'bandwidth', ...on, kbPerSec: 64 }).inject(context);
    await Promise.all([injected.remove(), injected.remove()]);
    await injected.remove();
    expect(removed).toEqual(['ad-1-fraud-api/agentdrill-bandwidth']);
  });

  it('fail with FAULT_FAILED when the target has no proxy', async () => {
    const { context, added } = fakeToxiproxy();
    const error: unknown = await createFault({ type: 'timeout', ...on, target: 'ledger-db', timeoutMs: 0 }).inject(context).catch((e: unknown) => e);
    expect(isAgentdrillError(error) && error.code).toBe('FAULT_FAILED');
    expect(added).toEqual([]);
  });
});

const shop: FleetTargets = {
  label: 'fleet shop (../fleet.yaml)',
  dependencies: ['payments-api', 'stock-db'],
  consumers: ['picker'],
  stateful: [],
  growable: [],
  replicas: { picker: 3 },
};
const resolve = (fault: object, targets = shop) => resolveFaultTargets(faultSchema.parse(fault), targets);
const toxics = [
  { type: 'latency', latency: '1s' },
  { type: 'timeout', timeout: '0ms' },
  { type: 'bandwidth', rate: '8KB/s' },
  { type: 'reset-peer' },
  { type: 'slow-close', delay: '1s' },
];

describe('fault targets', () => {
  it('puts every toxic on a declared dependency, and only there', () => {
    for (const toxic of toxics) {
      expect(resolve({ ...toxic, target: 'stock-db' }).fault, toxic.type).toMatchObject({ type: toxic.type, target: 'stock-db' });
      const missing = resolve(toxic).problems;
      expect(missing).toEqual([{ path: ['fault', 'target'], message: `fault.target is missing: ${toxic.type} needs a dependency`, hint: 'use one of "payments-api", "stock-db"' }]);
      const typo = resolve({ ...toxic, target: 'stock-bd' }).problems;
      expect(typo[0]!.path).toEqual(['fault', 'target']);
      expect(typo[0]!.hint).toContain('(did you mean "stock-db"?)');
      expect(resolve({ ...toxic, target: 'picker' }).fault).toBeUndefined();
    }
  });

  it('says a fleet without dependencies has nothing for a toxic to sit on', () => {
    const [problem] = resolve({ type: 'slow-close', delay: '1s', target: 'payments-api' }, { ...shop, dependencies: [] }).problems;
    expect(problem!.hint).toBe('fleet shop (../fleet.yaml) has no dependency; declare one in the fleet file');
  });

  it('checks a numbered instance against the replicas, but not a random one', () => {
    expect(resolve({ type: 'kill-consumer', agent: 'picker', instance: 4 }).problems[0]).toMatchObject({ path: ['fault', 'instance'], hint: 'pick an instance from 1 to 3, or run more replicas of picker' });
    expect(resolve({ type: 'kill-consumer', agent: 'picker', instance: 'random', signal: 'SIGINT' }).fault).toEqual({ type: 'kill-consumer', agent: 'picker', instance: 'random', signal: 'SIGINT' });
  });

  it('refuses memory growth on a fleet with no agent whose memory the drill can grow, saying what would be', () => {
    const [problem] = resolve({ type: 'memory-growth', variant: 'proactive', rate: '4MB/s', target: 'picker' }).problems;
    expect(problem!.path).toEqual(['fault', 'target']);
    expect(problem!.hint).toContain('declare one in the fleet file');
    expect(resolve({ type: 'memory-growth', variant: 'proactive', rate: '4MB/s', target: 'picker' }, { ...shop, growable: ['picker'] }).fault).toMatchObject({ target: 'picker' });
  });
});
