import { describe, expect, it } from 'vitest';
import type { EventPayloads, MachineLoad } from '../../src/core/events.ts';
import type { JournalEvent } from '../../src/core/journal.ts';
import { ConditionHistory } from '../../src/detect/condition-history.ts';
import { WarmupTracker } from '../../src/detect/warmup.ts';
import { describeLoad, machineLoad, readCpuTimes } from '../../src/observe/machine-load.ts';
import type { GroupSample, Sample } from '../../src/observe/sample.ts';
import { scoreDrill } from '../../src/score/index.ts';
import { buildJournal } from './fixtures/journal-fixture.ts';

const sample = (groups: Record<string, Partial<GroupSample>>): Sample => ({
  groups: Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, { lag: 0, throughput: 0, committed: 0, ...g }])),
  agents: {},
  counters: {},
});

describe('warm-up: every group has its members and caught up once', () => {
  it('is not ready while a group lacks members, is rebalancing, or has never caught up', () => {
    const t = new WarmupTracker(60);
    expect(t.feed(sample({ a: { members: 1, state: 'Stable', lag: 500 } }), { a: 2 }).ready).toBe(false);
    expect(t.feed(sample({ a: { members: 2, state: 'PreparingRebalance', lag: 10 } }), { a: 2 }).ready).toBe(false);
    // Caught up once (lag 10 above) counts even when the lag has grown a little since.
    const later = t.feed(sample({ a: { members: 2, state: 'Stable', lag: 90 } }), { a: 2 });
    expect(later.ready).toBe(true);
    expect(later.groups.a).toMatchObject({ members: 2, expectedMembers: 2, caughtUp: true, ready: true });
  });

  it('needs every group, and a group that was never sampled is not ready', () => {
    const t = new WarmupTracker(10);
    const r = t.feed(sample({ a: { members: 1, state: 'Stable', lag: 0 } }), { a: 1, b: 1 });
    expect(r.ready).toBe(false);
    expect(r.groups.b).toMatchObject({ members: null, ready: false });
  });
});

describe('the baseline evidence', () => {
  it('keeps each failing condition with its last values and the longest hold', () => {
    const h = new ConditionHistory();
    const c = 'lag(group=inventory) < 60';
    for (let i = 0; i < 10; i++) h.feed(i * 250, [{ condition: c, value: i < 4 ? 10 : 100 + i, holds: i < 4 }]);
    const s = h.summary();
    expect(s.longestHoldMs).toBe(750);
    expect(s.failing).toEqual([{ condition: c, lastValues: [105, 106, 107, 108, 109], failedSamples: 6, samples: 10 }]);
  });
});

describe('machine load', () => {
  it('reads busy and steal shares over a span on Linux', () => {
    const before = readCpuTimes();
    const after = before && { total: before.total + 200, idle: before.idle + 50, steal: before.steal + 10 };
    const load = machineLoad(before, after);
    expect(load.cpus).toBeGreaterThan(0);
    if (before) expect(load).toMatchObject({ busyPct: 75, stealPct: 5 });
    expect(describeLoad(load)).toContain('load average');
  });
});

const load: MachineLoad = { cpus: 2, loadAvg1: 3.9, loadAvg5: 3.1, stealPct: 0, busyPct: 97.5 };

function withEvent<T extends keyof EventPayloads>(events: JournalEvent[], type: T, payload: EventPayloads[T]): JournalEvent[] {
  const at = events.find((e) => e.type === 'phase.started')!.at + 1;
  return [...events, { type, at, payload } as JournalEvent].sort((a, b) => a.at - b.at);
}

describe('an inconclusive verdict says why, with the figures', () => {
  it('a baseline that never held names the condition, its last values in its unit, and the load', () => {
    const events = withEvent(buildJournal({ baselineHealthy: false, injected: false }), 'baseline.unhealthy', {
      baselineMs: 40_000,
      windowMs: 8_000,
      longestHoldMs: 3_250,
      failing: [{ condition: 'throughput(group=inventory) >= 45/s', lastValues: [41.5, 40, null], failedSamples: 92, samples: 160 }],
      load,
    });
    const score = scoreDrill(events);
    expect(score.verdict).toBe('inconclusive');
    const reason = score.reasons.join('\n');
    expect(reason).toContain('throughput(group=inventory) >= 45/s failed 92 of 160 samples');
    expect(reason).toContain('41.5/s, 40/s, no data');
    expect(reason).toContain('longest hold 3.3s');
    expect(reason).toContain('load average 3.9 (1 min) on 2 cores');
  });

  it('a warm-up that did not finish names the groups that were not ready, not the baseline', () => {
    const events = withEvent(buildJournal({ baselineHealthy: false, injected: false }), 'warmup.finished', {
      ok: false,
      durationMs: 120_000,
      limitMs: 120_000,
      groups: { inventory: { members: 2, expectedMembers: 3, state: 'Stable', lag: 930, caughtUp: false, ready: false } },
      load,
    });
    const score = scoreDrill(events);
    expect(score.verdict).toBe('inconclusive');
    expect(score.reasons).toHaveLength(1);
    expect(score.reasons[0]).toMatch(/^warm-up did not finish within 120s: group inventory: 2 of 3 members, never caught up \(lag 930\)/);
  });
});

describe('knocked off the steady state: a sustained break, not a blip', () => {
  it('a dip of two samples is noise; a second of failing samples is a break, dated from its first sample', async () => {
    const { firstSustainedBreak, steadyBreakMs } = await import('../../src/detect/steady-break.ts');
    const at = (i: number) => 1000 + i * 250;
    const blip = Array.from({ length: 40 }, (_, i) => ({ at: at(i), holds: i !== 10 && i !== 11 }));
    expect(firstSustainedBreak(blip)).toBeUndefined();
    const broken = Array.from({ length: 40 }, (_, i) => ({ at: at(i), holds: i < 10 || i > 10 + steadyBreakMs / 250 }));
    expect(firstSustainedBreak(broken)).toBe(at(10));
  });
});
