import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../src/detect/evaluate.ts';
import { parseRule } from '../../src/detect/parse-rule.ts';
import { quoteLabelValue, watchedKey } from '../../src/detect/series.ts';
import type { Rule } from '../../src/detect/rule.ts';
import { RuleTracker, type RuleTransition } from '../../src/detect/rule-tracker.ts';
import { SteadyStateTracker } from '../../src/detect/steady-state.ts';
import type { Sample } from '../../src/observe/sample.ts';

function rule(text: string): Rule {
  const r = parseRule(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.rule;
}

function sample(part: Partial<Sample> = {}): Sample {
  return { groups: {}, agents: {}, counters: {}, ...part };
}

const group = (lag: number, throughput = 50) => ({ lag, throughput, committed: 0, members: 1 });

describe('evaluateCondition', () => {
  it('reads group series, the max rss of live instances, and invalid counters', () => {
    const s = sample({
      groups: { inventory: group(120, 30) },
      agents: {
        'fulfillment-1': { agent: 'fulfillment', rssBytes: 150 * 1024 ** 2, up: true },
        'fulfillment-2': { agent: 'fulfillment', rssBytes: 250 * 1024 ** 2, up: true },
        'fulfillment-3': { agent: 'fulfillment', rssBytes: 900 * 1024 ** 2, up: false },
      },
      counters: { 'invalid.fulfillment': 3 },
    });
    expect(evaluateCondition(rule('throughput(group=inventory) < 40/s and lag(group=inventory) > 100'), s).holds).toBe(true);
    expect(evaluateCondition(rule('rss(agent=fulfillment) > 200MB'), s).holds).toBe(true);
    expect(evaluateCondition(rule('rss(agent=fulfillment) > 300MB'), s).failing).toEqual(['rss(agent=fulfillment) > 300MB: actual 250MB']);
    expect(evaluateCondition(rule('invalid(agent=fulfillment) > 0'), s).holds).toBe(true);
    expect(evaluateCondition(rule('members(group=inventory) >= 2'), s).failing).toEqual(['members(group=inventory) >= 2: actual 1']);
  });

  it('reads metric() from the sampled series of the agent, its sum or with /s its rate', () => {
    const s = sample({
      counters: {
        'metric.scorer.scorer_invalid_inputs_total': 3,
        'metric-rate.scorer.scorer_invalid_inputs_total': 0,
        'metric-rate.api.http_requests_total{code="500",method="POST"}': 7.5,
      },
    });
    expect(evaluateCondition(rule('metric(agent=scorer, name=scorer_invalid_inputs_total) > 0'), s).holds).toBe(true);
    expect(evaluateCondition(rule('metric(agent=scorer, name=scorer_invalid_inputs_total) == 0/s'), s).holds).toBe(true);
    // Matchers in any order name one series.
    expect(evaluateCondition(rule('metric(agent=api, name=http_requests_total, method=POST, code="500") > 5/s'), s).outcomes[0]!.value).toBe(7.5);
    expect(evaluateCondition(rule('metric(agent=ledger, name=scorer_invalid_inputs_total) > 0'), s).failing).toEqual([
      'metric(agent=ledger, name=scorer_invalid_inputs_total) > 0: no data',
    ]);
    expect(evaluateCondition(rule('metric(agent=scorer, name=scorer_invalid_inputs_total) > 5'), s).failing).toEqual([
      'metric(agent=scorer, name=scorer_invalid_inputs_total) > 5: actual 3',
    ]);
  });

  it('reads metric() where the sampler writes it, whatever order the matchers are written in', () => {
    const label = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,6}$/).filter((k) => k !== 'agent' && k !== 'name');
    const selector = fc.record({
      agent: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/).filter((t) => !/^(and|for)$/i.test(t)),
      name: fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,10}$/),
      labels: fc.uniqueArray(fc.tuple(label, fc.string({ maxLength: 6 })), { selector: ([k]) => k, maxLength: 4 }),
      value: fc.integer({ min: 0, max: 10_000 }),
      rate: fc.boolean(),
    });
    fc.assert(
      fc.property(selector, fc.nat(), ({ agent, name, labels, value, rate }, shuffle) => {
        const written = labels.map((l, i) => labels[(i + shuffle) % labels.length]!);
        const matchers = written.map(([k, v]) => `, ${k}=${quoteLabelValue(v)}`).join('');
        const key = `${rate ? 'metric-rate' : 'metric'}.${watchedKey(agent, { name, labels: Object.fromEntries(labels) })}`;
        const r = rule(`metric(agent=${agent}, name=${name}${matchers}) == ${value}${rate ? '/s' : ''}`);
        expect(evaluateCondition(r, sample({ counters: { [key]: value } })).holds).toBe(true);
        expect(evaluateCondition(r, sample()).failing[0]).toMatch(/: no data$/);
      }),
    );
  });

  it('treats a missing series as not holding, and says so', () => {
    const e = evaluateCondition(rule('lag(group=decision) < 100 and rss(agent=sink) < 1GB and invalid(agent=sink) == 0'), sample());
    expect(e.holds).toBe(false);
    expect(e.failing).toEqual([
      'lag(group=decision) < 100: no data',
      'rss(agent=sink) < 1GB: no data',
      'invalid(agent=sink) == 0: no data',
    ]);
  });
});

/** A feed: strictly increasing times, each sample holding (lag 100), failing (lag 0) or without data. */
const feed = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 700 }), fc.constantFrom('hold', 'fail', 'none')), { maxLength: 40 })
  .map((steps) => {
    let at = 1_000_000;
    return steps.map(([dt, kind]) => {
      at += dt;
      const s = kind === 'none' ? sample() : sample({ groups: { inventory: group(kind === 'hold' ? 100 : 0) } });
      return { at, holds: kind === 'hold', sample: s };
    });
  });

/** Maximal runs of holding samples, as [first at, all ats]. */
function runs(points: { at: number; holds: boolean }[]): number[][] {
  const out: number[][] = [];
  let current: number[] | undefined;
  for (const p of points) {
    if (p.holds) (current ??= []).push(p.at);
    else if (current) {
      out.push(current);
      current = undefined;
    }
  }
  if (current) out.push(current);
  return out;
}

describe('RuleTracker', () => {
  it('fires iff a run of holding samples spans the for-window, and resolves when the run ends', () => {
    fc.assert(
      fc.property(feed, fc.integer({ min: 0, max: 3000 }), (points, forMs) => {
        const tracker = new RuleTracker(rule(`lag(group=inventory) > 10 for ${forMs}ms`));
        const actual = points.map((p) => tracker.feed(p.at, p.sample).transition).filter((t) => t !== undefined);
        const expected: RuleTransition[] = [];
        for (const run of runs(points)) {
          const fireAt = run.find((at) => at - run[0]! >= forMs);
          if (fireAt === undefined) continue;
          expected.push({ type: 'firing', at: fireAt, value: 100 });
          const end = points.find((p) => p.at > run.at(-1)!);
          if (end) expected.push({ type: 'resolved', at: end.at });
        }
        expect(actual).toEqual(expected);
      }),
    );
  });

  it('without for, fires at the first holding sample', () => {
    const tracker = new RuleTracker(rule('lag(group=inventory) > 10'));
    expect(tracker.feed(1, sample()).transition).toBeUndefined();
    expect(tracker.feed(2, sample({ groups: { inventory: group(50) } })).transition).toEqual({ type: 'firing', at: 2, value: 50 });
    expect(tracker.firing).toBe(true);
  });
});

describe('SteadyStateTracker', () => {
  it('confirms at the first sample where a holding run has lasted the window', () => {
    fc.assert(
      fc.property(feed, fc.integer({ min: 0, max: 3000 }), (points, windowMs) => {
        const tracker = new SteadyStateTracker(rule('lag(group=inventory) > 10').conditions, windowMs);
        const confirmations = points
          .map((p) => tracker.feed(p.at, p.sample))
          .filter((u) => u.newlyConfirmed)
          .map((u) => ({ windowStartAt: u.windowStartAt, confirmedAt: u.confirmedAt }));
        const expected = runs(points).flatMap((run) => {
          const confirmedAt = run.find((at) => at - run[0]! >= windowMs);
          return confirmedAt === undefined ? [] : [{ windowStartAt: run[0], confirmedAt }];
        });
        expect(confirmations).toEqual(expected);
      }),
    );
  });

  it('keeps reporting the confirmed window while the run lasts, and forgets it on reset', () => {
    const tracker = new SteadyStateTracker(rule('lag(group=inventory) < 150').conditions, 1000);
    const ok = sample({ groups: { inventory: group(10) } });
    expect(tracker.feed(0, ok)).toMatchObject({ holds: true, windowStartAt: undefined });
    expect(tracker.feed(1000, ok)).toMatchObject({ windowStartAt: 0, confirmedAt: 1000, newlyConfirmed: true });
    expect(tracker.feed(1250, ok)).toMatchObject({ windowStartAt: 0, confirmedAt: 1000, newlyConfirmed: false });
    tracker.reset();
    expect(tracker.feed(1500, ok)).toMatchObject({ windowStartAt: undefined });
    expect(tracker.feed(1600, sample()).failing).toEqual(['lag(group=inventory) < 150: no data']);
  });
});
