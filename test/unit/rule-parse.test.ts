import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRule } from '../../src/detect/format-rule.ts';
import { parseRule } from '../../src/detect/parse-rule.ts';
import { metricNames, metricSpecs, operators, type Condition, type Rule } from '../../src/detect/rule.ts';

function ok(text: string): Rule {
  const r = parseRule(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.rule;
}

function err(text: string) {
  const r = parseRule(text);
  if (r.ok) throw new Error(`${text} parsed`);
  return r.error;
}

describe('parseRule', () => {
  it('parses the documented examples', () => {
    expect(ok('throughput(group=inventory) < 40/s for 5s')).toEqual({
      conditions: [{ metric: 'throughput', label: 'group', target: 'inventory', op: '<', value: 40, unit: '/s' }],
      forMs: 5000,
    });
    expect(ok('lag(group=inventory) > 500 for 3s').forMs).toBe(3000);
    expect(ok('rss(agent=fulfillment) > 200MB for 2s').conditions[0]).toMatchObject({ value: 200, unit: 'MB' });
    expect(ok('invalid(agent=fulfillment) > 0')).toMatchObject({ forMs: undefined });
    const both = ok('lag(group=inventory) < 200 and throughput(group=inventory) >= 50/s');
    expect(both.conditions.map((c) => c.op)).toEqual(['<', '>=']);
  });

  it('accepts spacing variants, a detached unit and upper-case keywords', () => {
    expect(ok('  rss( agent = fulfillment )>=1.5 gb FOR 1m30s')).toEqual({
      conditions: [{ metric: 'rss', label: 'agent', target: 'fulfillment', op: '>=', value: 1.5, unit: 'GB' }],
      forMs: 90_000,
    });
  });

  it('points at the bad token and lists what is allowed', () => {
    const e = err('latency(group=inventory) > 5');
    expect(e.column).toBe(1);
    expect(e.message).toContain('"latency"');
    expect(e.hint).toContain('"lag"');
    expect(err('lag(group=inventory) => 5')).toMatchObject({ column: 22 });
    expect(err('lga(group=x) > 1').hint).toContain('did you mean "lag"');
    expect(err('lag(agent=x) > 1').message).toContain('selected by "group"');
    expect(err('lag(group=x) > 1MB').message).toContain('unit "MB" does not apply to lag');
    expect(err('lag(group=x) > fast').message).toContain('"fast"');
    expect(err('lag(group=x) > 1 for ever').message).toContain('"ever"');
    expect(err('lag(group=x) > 1 for 5s and lag(group=y) > 1').hint).toContain('end of the rule');
    expect(err('lag(group=x) > 1 or lag(group=y) > 2').hint).toContain('"and", "for"');
    expect(err('lag(group=x) > 1 ;').message).toContain('";"');
    expect(err('').message).toContain('empty');
    expect(err('lag(group=x) >').message).toContain('end of the rule');
  });

  it('parses metric() with agent, name and label matchers in any order', () => {
    expect(ok('metric(agent=scorer, name=scorer_fraud_api_errors_total) > 5/s for 2s')).toEqual({
      conditions: [{ metric: 'metric', label: 'agent', target: 'scorer', op: '>', value: 5, unit: '/s', series: { name: 'scorer_fraud_api_errors_total', labels: {} } }],
      forMs: 2000,
    });
    const c = ok('metric( name = job:errors:rate5m , code="5\\"0\\\\0" ,agent=api-2,method=POST) >= 1').conditions[0]!;
    expect(c).toMatchObject({ target: 'api-2', unit: undefined, series: { name: 'job:errors:rate5m', labels: { code: '5"0\\0', method: 'POST' } } });
    expect(formatRule({ conditions: [c], forMs: undefined })).toBe('metric(agent=api-2, name=job:errors:rate5m, code="5\\"0\\\\0", method="POST") >= 1');
  });

  it('points at what is wrong inside metric(...), and quotes what is allowed', () => {
    expect(err('metric(agent=scorer) > 1')).toMatchObject({ column: 20, message: expect.stringContaining('needs name=') });
    expect(err('metric(name=x_total) > 1')).toMatchObject({ column: 20, message: expect.stringContaining('needs agent=') });
    expect(err('metric(agent=scorer, name=9lives) > 1')).toMatchObject({ column: 27, hint: expect.stringContaining('[a-zA-Z_:][a-zA-Z0-9_:]*') });
    expect(err('metric(agent=scorer, name=a, agent=b) > 1')).toMatchObject({ column: 30, message: expect.stringContaining('"agent" is given twice') });
    expect(err('metric(agent=scorer name=a) > 1')).toMatchObject({ column: 21, message: expect.stringContaining('"," or ")"') });
    expect(err('metric(agent=scorer, name=a, code="5) > 1')).toMatchObject({ column: 35, message: expect.stringContaining('never closed') });
    expect(err('metric(agent=scorer, name=a, code="\\x") > 1')).toMatchObject({ column: 36, message: expect.stringContaining('unknown escape') });
    expect(err('metric(agent=scorer, name=a, 1code="x") > 1')).toMatchObject({ column: 30 });
    expect(err('metric(agent=scorer, name=a) > 1MB').hint).toContain('"/s"');
    expect(err('metric(agent="scorer", name=a) > 1').message).toContain('quoted value "scorer"');
    expect(err('lag(group=x, name=y) > 1').message).toContain('")" to close lag(group=x');
  });

  const target = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,12}$/).filter((t) => !/^(and|for)$/i.test(t));
  const seriesName = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,15}$/);
  const matchers = fc.dictionary(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/).filter((k) => k !== 'agent' && k !== 'name'), fc.string({ maxLength: 8, unit: 'binary' }), { maxKeys: 3 });
  const value = fc.oneof(fc.integer({ min: -1000, max: 1_000_000 }), fc.integer({ min: 0, max: 99999 }).map((n) => n / 100)).filter((v) => !Object.is(v, -0));
  const condition: fc.Arbitrary<Condition> = fc
    .record({ metric: fc.constantFrom(...metricNames), target, op: fc.constantFrom(...operators), value, unitPick: fc.nat(), name: seriesName, labels: matchers })
    .map(({ metric, target, op, value, unitPick, name, labels }) => {
      const spec = metricSpecs[metric];
      const choices = [undefined, ...spec.units];
      const c: Condition = { metric, label: spec.label, target, op, value, unit: choices[unitPick % choices.length] };
      return metric === 'metric' ? { ...c, series: { name, labels } } : c;
    });
  const rule: fc.Arbitrary<Rule> = fc.record({
    conditions: fc.array(condition, { minLength: 1, maxLength: 4 }),
    forMs: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
  });

  it('round-trips: parse(format(r)) equals r', () => {
    fc.assert(
      fc.property(rule, (r) => {
        expect(ok(formatRule(r))).toEqual(r);
      }),
    );
  });

  it('never throws, on arbitrary strings and on rule-like mutations', () => {
    const ruleish = fc.tuple(rule.map(formatRule), fc.nat(), fc.string({ maxLength: 3 })).map(([t, at, ins]) => {
      const i = at % (t.length + 1);
      return t.slice(0, i) + ins + t.slice(i + 1);
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), ruleish), (s) => {
        const r = parseRule(s);
        if (!r.ok) {
          expect(r.error.column).toBeGreaterThanOrEqual(1);
          expect(r.error.column).toBeLessThanOrEqual(s.length + 1);
          expect(r.error.hint.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
