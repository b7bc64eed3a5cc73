import { writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/core/journal.ts';
import type { FaultContext } from '../../src/faults/fault.ts';
import { memoryGrowthFault, type MemoryGrowthFaultSpec } from '../../src/faults/memory-growth.ts';
import type { FleetEvent, InstanceInfo } from '../../src/fleet/types.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** Just enough fleet for the fault: instances, its own leak switch (recorded as the config it sends), and its event stream. */
function fakeFleet(logFile: string) {
  const listeners = new Set<(e: FleetEvent) => void>();
  const configured: { id: string; patch: Record<string, unknown> }[] = [];
  const instance: InstanceInfo = { id: 'fulfillment-1', agent: 'fulfillment', pid: 1, state: 'running', restarts: 0, adminUrl: '', logFile, heapMb: 128 };
  const fleet = {
    kind: 'reference' as const,
    instances: () => [instance, { ...instance, id: 'sink-1', agent: 'sink' as const }],
    faultHooks: {
      leak: (id: string, leak: { mbPerSec: number; cacheTtlMs: number } | undefined) => {
        configured.push({ id, patch: leak ? { leakMbPerSec: leak.mbPerSec, cacheTtlMs: leak.cacheTtlMs } : { leakMbPerSec: 0 } });
        return Promise.resolve();
      },
    },
    onEvent: (l: (e: FleetEvent) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  const emit = (e: FleetEvent) => listeners.forEach((l) => l(e));
  return { fleet, configured, emit, listeners };
}

function setup(variant: MemoryGrowthFaultSpec['variant']) {
  const logFile = path.join(tempDir('agentdrill-mg-'), 'fulfillment-1.log');
  writeFileSync(logFile, '{"message":"started"}\n');
  let now = 1_000_000;
  const clock = { now: () => now, sleep: () => Promise.resolve() };
  const journal = new Journal(clock);
  const fake = fakeFleet(logFile);
  const context = { fleet: fake.fleet, journal, clock } as unknown as FaultContext;
  const fault = memoryGrowthFault({ type: 'memory-growth', target: 'fulfillment', variant, mbPerSec: 4, cacheTtlMs: 600_000 });
  return { ...fake, logFile, journal, context, fault, advance: (ms: number) => (now += ms) };
}

const exited = (signal: string | null, code: number | null = null): FleetEvent => ({
  type: 'instance.exited',
  agent: 'fulfillment',
  instanceId: 'fulfillment-1',
  detail: { code, signal, expected: false },
});
const oomLine = 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n';

describe('memory-growth fault', () => {
  it('arms the leak with the long TTL, re-arms every restart while injected, and stops the leak on remove', async () => {
    const s = setup('proactive');
    const injected = await s.fault.inject(s.context);
    expect(s.configured).toEqual([{ id: 'fulfillment-1', patch: { leakMbPerSec: 4, cacheTtlMs: 600_000 } }]);
    s.emit({ type: 'instance.restarted', agent: 'fulfillment', instanceId: 'fulfillment-1', detail: {} });
    s.emit({ type: 'instance.started', agent: 'sink', instanceId: 'sink-1', detail: {} });
    await injected.remove();
    expect(s.configured.map((c) => c.patch)).toEqual([
      { leakMbPerSec: 4, cacheTtlMs: 600_000 },
      { leakMbPerSec: 4, cacheTtlMs: 600_000 },
      { leakMbPerSec: 0 },
    ]);
    s.emit({ type: 'instance.restarted', agent: 'fulfillment', instanceId: 'fulfillment-1', detail: {} });
    const assessment = await injected.assess!(s.context);
    expect(s.configured).toHaveLength(3);
    expect(assessment).toEqual({
      figures: { variant: 'proactive', oom: false, oomAtMs: null, oomCount: 0, oomExitCode: null, oomSignal: null, oomCause: null, peakRssMb: null, rssAtRecoveryMb: null, leakMbPerSec: 4 },
      failures: [],
    });
    expect(s.listeners.size).toBe(0);
  });

  it('journals an OOM (abort + V8 line) with its time, and fails the proactive variant', async () => {
    const s = setup('proactive');
    const injected = await s.fault.inject(s.context);
    s.advance(4000);
    s.emit(exited('SIGKILL'));
    appendFileSync(s.logFile, oomLine);
    s.advance(26_000);
    s.emit(exited('SIGABRT'));
    const assessment = await injected.assess!(s.context);
    const observations = s.journal.ofType('observation');
    expect(observations).toHaveLength(1);
    expect(observations[0]!.payload).toEqual({
      kind: 'oom',
      agent: 'fulfillment',
      instanceId: 'fulfillment-1',
      detail: { exitCode: null, signal: 'SIGABRT', cause: 'heap-limit', heapMb: 128, atMs: 30_000 },
    });
    expect(assessment.figures).toMatchObject({ oom: true, oomAtMs: 30_000, oomCount: 1, oomSignal: 'SIGABRT', oomCause: 'heap-limit' });
    expect(assessment.failures[0]).toMatch(/ran out of memory 30.0s after injection/);
  });

  it("counts a container's kernel OOM kill (137, OOMKilled) as the OOM, and a plain SIGKILL not at all", async () => {
    const s = setup('reactive');
    const injected = await s.fault.inject(s.context);
    s.advance(5000);
    // kill -9 of the container (a fault or a person): the engine says it was not the OOM killer.
    s.emit({ ...exited('SIGKILL', 137), detail: { code: 137, signal: 'SIGKILL', oomKilled: false, expected: false } });
    s.advance(20_000);
    s.emit({ ...exited('SIGKILL', 137), detail: { code: 137, signal: 'SIGKILL', oomKilled: true, expected: false, container: 'c-1' } });
    const assessment = await injected.assess!(s.context);
    const observations = s.journal.ofType('observation');
    expect(observations.map((o) => o.payload)).toEqual([
      {
        kind: 'oom',
        agent: 'fulfillment',
        instanceId: 'fulfillment-1',
        detail: { exitCode: 137, signal: 'SIGKILL', cause: 'kernel-oom-killer', oomKilled: true, heapMb: 128, atMs: 25_000 },
      },
    ]);
    expect(assessment.figures).toMatchObject({ oom: true, oomAtMs: 25_000, oomCount: 1, oomExitCode: 137, oomSignal: 'SIGKILL', oomCause: 'kernel-oom-killer' });
    expect(assessment.failures).toEqual([]);
  });

  it('does not count an old OOM line after a restart, and fails the reactive variant without an OOM', async () => {
    const s = setup('reactive');
    appendFileSync(s.logFile, oomLine);
    const injected = await s.fault.inject(s.context);
    // The instance restarted after that old OOM; then someone aborts it by hand.
    s.emit({ type: 'instance.restarted', agent: 'fulfillment', instanceId: 'fulfillment-1', detail: {} });
    s.emit(exited('SIGABRT'));
    const assessment = await injected.assess!(s.context);
    expect(s.journal.ofType('observation').filter((o) => o.payload.kind === 'oom')).toHaveLength(0);
    expect(assessment.figures.oom).toBe(false);
    expect(assessment.failures[0]).toMatch(/never ran out of memory/);
  });

  it('refuses to inject without a running target', async () => {
    const s = setup('reactive');
    const context = { ...s.context, fleet: { ...s.fleet, instances: () => [] } } as unknown as FaultContext;
    await expect(s.fault.inject(context)).rejects.toThrow(/no running fulfillment/);
  });
});
