import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/core/journal.ts';
import { scoreDrill } from '../../src/score/index.ts';
import { buildJournal, type FixtureOptions } from './fixtures/journal-fixture.ts';

const integrityArb = fc.option(
  fc.record({
    produced: fc.nat(1000),
    processed: fc.nat(1000),
    lost: fc.oneof(fc.constant(0), fc.nat(5)),
    duplicated: fc.nat(5),
    invalid: fc.nat(5),
  }),
  { nil: null },
);

// Coarse steps keep journals small (fast runs) while still crossing every target boundary.
const drillArb: fc.Arbitrary<FixtureOptions> = fc.record({
  sampleIntervalMs: fc.constantFrom(500, 1000),
  baselineMs: fc.constantFrom(5_000, 12_000),
  windowMs: fc.constantFrom(2_000, 5_000),
  detectAfterMs: fc.option(fc.integer({ min: 0, max: 40 }).map((s) => s * 1000), { nil: null }),
  // From 3 s: the fixture's impact starts 1 s after injection and must outlast a steady-state break (1 s, steady-break.ts) to count.
  recoverAfterMs: fc.option(fc.integer({ min: 3, max: 60 }).map((s) => s * 1000), { nil: null }),
  targets: fc.record({ detectMs: fc.integer({ min: 1, max: 30 }).map((s) => s * 1000), recoverMs: fc.integer({ min: 1, max: 60 }).map((s) => s * 1000) }),
  injected: fc.boolean(),
  baselineHealthy: fc.boolean(),
  impact: fc.boolean(),
  integrity: integrityArb,
  error: fc.option(fc.record({ code: fc.constant('FLEET_FAILED'), message: fc.string() }), { nil: undefined }),
});

describe('scoreDrill properties', () => {
  it('passes iff no error, fault injected and moved the fleet, baseline healthy, both targets met, nothing lost', () => {
    fc.assert(
      fc.property(drillArb, (o) => {
        const score = scoreDrill(buildJournal(o));
        const t = o.targets!;
        const impacted = o.injected! && o.impact!;
        const expectPass =
          o.error === undefined &&
          o.injected! &&
          o.baselineHealthy! &&
          impacted &&
          o.detectAfterMs !== null &&
          o.detectAfterMs! <= t.detectMs &&
          o.recoverAfterMs !== null &&
          o.recoverAfterMs! <= t.recoverMs &&
          o.integrity !== null &&
          o.integrity!.lost === 0;
        expect(score.verdict === 'passed').toBe(expectPass);
        expect(score.verdict === 'passed').toBe(score.reasons.length === 0);
      }),
      { numRuns: 150 },
    );
  });

  it('never reports a negative TTD or TTR', () => {
    fc.assert(
      fc.property(drillArb, fc.integer({ min: -60_000, max: 60_000 }), (o, alertOffset) => {
        const events = buildJournal(o);
        const t0 = events.find((e) => e.type === 'fault.injected')?.at ?? 0;
        // A stray alert anywhere around the fault must not pull TTD below zero.
        events.push({ type: 'alert.firing', at: t0 + alertOffset, payload: { rule: 'r', value: undefined } });
        const score = scoreDrill(events);
        if (score.ttdMs !== undefined) expect(score.ttdMs).toBeGreaterThanOrEqual(0);
        if (score.ttrMs !== undefined) expect(score.ttrMs).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 100 },
    );
  });

  it('does not change when every timestamp shifts by a constant', () => {
    fc.assert(
      fc.property(drillArb, fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), (o, delta) => {
        const events = buildJournal(o);
        expect(scoreDrill(events.map((e) => shift(e, delta)))).toEqual(scoreDrill(events));
      }),
      { numRuns: 100 },
    );
  });

  it('never passes without baseline.healthy', () => {
    fc.assert(
      fc.property(drillArb, (o) => {
        expect(scoreDrill(buildJournal({ ...o, baselineHealthy: false })).verdict).not.toBe('passed');
      }),
      { numRuns: 60 },
    );
  });

  it('never passes with integrity missing or events lost', () => {
    const lostArb = fc.option(fc.integer({ min: 1, max: 100 }), { nil: null });
    fc.assert(
      fc.property(drillArb, lostArb, (o, lost) => {
        const integrity = lost === null ? null : { produced: 100, processed: 100 - lost, lost, duplicated: 0, invalid: 0 };
        const score = scoreDrill(buildJournal({ ...o, integrity }));
        expect(score.verdict).not.toBe('passed');
        if (score.verdict === 'failed') expect(score.missed).toContain('integrity');
      }),
      { numRuns: 60 },
    );
  });
});

/** Shifts an event and every absolute timestamp inside its payload. */
function shift(e: JournalEvent, delta: number): JournalEvent {
  const payload = { ...(e.payload as Record<string, unknown>) };
  for (const key of ['windowStartAt', 'confirmedAt', 'startedAt', 'endedAt']) {
    if (typeof payload[key] === 'number') payload[key] = (payload[key] as number) + delta;
  }
  return { ...e, at: e.at + delta, payload };
}
