import { describe, expect, it } from 'vitest';
import { scoreDrill } from '../../src/score/index.ts';
import { buildJournal } from './fixtures/journal-fixture.ts';

describe('scoreDrill examples', () => {
  it('passes a drill that met both targets and lost nothing', () => {
    const score = scoreDrill(buildJournal());
    expect(score).toMatchObject({ verdict: 'passed', ttdMs: 12_000, ttrMs: 45_000, missed: [], reasons: [] });
    expect(score.targets).toEqual({ detectMs: 20_000, recoverMs: 90_000 });
    expect(score.integrity?.lost).toBe(0);
  });

  it('reports the detection lower bound as sample interval plus the rule window', () => {
    expect(scoreDrill(buildJournal()).detectLowerBoundMs).toBe(10_250);
    const noWindow = buildJournal({ alertRule: 'lag(group=inventory) > 1000', sampleIntervalMs: 500 });
    expect(scoreDrill(noWindow).detectLowerBoundMs).toBe(500);
    expect(scoreDrill(buildJournal({ alertRule: 'x > 1 for 1m30s' })).detectLowerBoundMs).toBe(90_250);
  });

  it('fails a slow detection with the figure and the target', () => {
    const score = scoreDrill(buildJournal({ detectAfterMs: 24_100 }));
    expect(score.verdict).toBe('failed');
    expect(score.missed).toEqual(['detect']);
    expect(score.reasons).toEqual(['detect: 24.1s > 20s target']);
  });

  it('fails when nothing recovered', () => {
    const score = scoreDrill(buildJournal({ recoverAfterMs: null }));
    expect(score.verdict).toBe('failed');
    expect(score.ttrMs).toBeUndefined();
    expect(score.reasons).toEqual(['recover: not recovered within 90s target']);
  });

  it('fails when the alert never fired', () => {
    const score = scoreDrill(buildJournal({ detectAfterMs: null }));
    expect(score.missed).toEqual(['detect']);
    expect(score.reasons[0]).toMatch(/^detect: not detected within 20s target/);
  });

  it('fails on lost events and on a missing integrity report', () => {
    const lost = scoreDrill(buildJournal({ integrity: { produced: 10, processed: 7, lost: 3, duplicated: 0, invalid: 0 } }));
    expect(lost.verdict).toBe('failed');
    expect(lost.reasons).toEqual(['integrity: 3 events lost']);
    const missing = scoreDrill(buildJournal({ integrity: null }));
    expect(missing.verdict).toBe('failed');
    expect(missing.missed).toEqual(['integrity']);
  });

  it('is inconclusive, never passed, when loss could not be judged; a missed target still fails', () => {
    const unknown = { produced: 10, processed: null, lost: null, duplicated: null, invalid: 0, mode: 'counts-only' as const, why: 'no output carried this run\'s stamp', outputs: 9 };
    const score = scoreDrill(buildJournal({ integrity: unknown }));
    expect(score.verdict).toBe('inconclusive');
    expect(score.reasons).toEqual(["integrity not judged: no output carried this run's stamp (10 produced, 9 outputs seen)"]);
    const slow = scoreDrill(buildJournal({ integrity: unknown, detectAfterMs: 24_100 }));
    expect(slow.verdict).toBe('failed');
    expect(slow.missed).toEqual(['detect']);
  });

  it('lists every missed target', () => {
    const score = scoreDrill(
      buildJournal({ detectAfterMs: 30_000, recoverAfterMs: 120_000, integrity: { produced: 5, processed: 4, lost: 1, duplicated: 0, invalid: 0 } }),
    );
    expect(score.missed).toEqual(['detect', 'recover', 'integrity']);
    expect(score.reasons).toEqual(['detect: 30s > 20s target', 'recover: 120s > 90s target', 'integrity: 1 events lost']);
  });

  it('is inconclusive when the baseline was never healthy', () => {
    const score = scoreDrill(buildJournal({ baselineHealthy: false }));
    expect(score.verdict).toBe('inconclusive');
    expect(score.reasons.join('\n')).toMatch(/baseline never healthy/);
  });

  it('is inconclusive, not an error, when the drill stopped before injecting because the baseline was unhealthy', () => {
    const score = scoreDrill(buildJournal({ baselineHealthy: false, injected: false }));
    expect(score.verdict).toBe('inconclusive');
  });

  it('is inconclusive when the fault never moved the fleet', () => {
    const score = scoreDrill(buildJournal({ impact: false }));
    expect(score.verdict).toBe('inconclusive');
    expect(score.reasons).toEqual(['the fault never moved the fleet off its steady state']);
  });

  it('is an error when the harness failed or no fault was injected', () => {
    const failed = scoreDrill(buildJournal({ error: { code: 'FAULT_FAILED', message: 'toxiproxy unreachable' } }));
    expect(failed.verdict).toBe('error');
    expect(failed.reasons).toEqual(['error: FAULT_FAILED: toxiproxy unreachable']);
    const notInjected = scoreDrill(buildJournal({ injected: false }));
    expect(notInjected.verdict).toBe('error');
    expect(notInjected.reasons).toEqual(['error: no fault was injected']);
    expect(notInjected.ttdMs).toBeUndefined();
  });

  it('scores an empty journal as an error without throwing', () => {
    const score = scoreDrill([]);
    expect(score.verdict).toBe('error');
    expect(score.detectLowerBoundMs).toBeUndefined();
  });

  it('ignores an alert that fired before the fault', () => {
    const events = buildJournal({ detectAfterMs: null });
    const t0 = events.find((e) => e.type === 'fault.injected')!.at;
    events.push({ type: 'alert.firing', at: t0 - 5_000, payload: { rule: 'r', value: 1 } });
    expect(scoreDrill(events).ttdMs).toBeUndefined();
  });
});

describe('fault assessments', () => {
  it('fails a drill whose fault assessment reports a failure, and carries the figures', () => {
    const events = buildJournal();
    const last = events.at(-1)!.at;
    events.push({ type: 'fault.assessed', at: last, payload: { fault: 'corrupt-state', figures: { blastRadius: 12 }, failures: ['12 invalid events reached the sink'] } });
    const score = scoreDrill(events);
    expect(score.verdict).toBe('failed');
    expect(score.missed).toEqual(['fault']);
    expect(score.faultFigures).toEqual({ blastRadius: 12 });
  });
  it('passes when the assessment has figures but no failures', () => {
    const events = buildJournal();
    events.push({ type: 'fault.assessed', at: events.at(-1)!.at, payload: { fault: 'kill-consumer', figures: { pauseMs: 7100 }, failures: [] } });
    expect(scoreDrill(events).verdict).toBe('passed');
  });
});
