import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { scenarioProblems } from '../helpers/scenario-problems.ts';
import { describe, expect, it } from 'vitest';
import { checkDuration, durationCeilings, maxTimerMs, parseDuration } from '../../src/core/duration.ts';
import { AgentdrillError, type Problem } from '../../src/core/errors.ts';
import { maxThreshold, parseRule } from '../../src/detect/parse-rule.ts';
import { parseFenceInfo } from '../../src/runbook/parse-info.ts';
import { validateScenarioText } from '../../src/scenario/validate.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const shipped = readFileSync(path.join(root, 'scenarios', 'downstream-backlog.yaml'), 'utf8');
const file = path.join(root, 'scenarios', 'values.yaml');
const nines = '9'.repeat(400);

const problems = (text: string): Problem[] => scenarioProblems(text, file);

function replace(from: string, to: string): string {
  expect(shipped).toContain(from);
  return shipped.replace(from, to);
}

describe('durations a timer cannot honour are refused', () => {
  it('parseDuration never returns Infinity or more than a timer can wait', () => {
    expect(parseDuration(`${nines}s`)).toBeUndefined();
    expect(parseDuration('600h')).toBeUndefined();
    expect(parseDuration('596h')).toBe(596 * 3_600_000);
    const part = fc.tuple(fc.stringMatching(/^\d{1,400}(\.\d{1,3})?$/), fc.constantFrom('ms', 's', 'm', 'h'));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
        const ms = parseDuration(parts.map(([n, u]) => n + u).join(''));
        if (ms !== undefined) {
          expect(Number.isFinite(ms)).toBe(true);
          expect(ms).toBeLessThanOrEqual(maxTimerMs);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('checkDuration refuses everything beyond its range, quoting the value', () => {
    fc.assert(
      fc.property(fc.integer({ min: durationCeilings.drill + 1, max: 10 ** 12 }), (ms) => {
        const checked = checkDuration(`${ms}ms`, { max: durationCeilings.drill });
        expect(checked.ok).toBe(false);
        expect(!checked.ok && checked.message).toContain(`"${ms}ms"`);
      }),
      { numRuns: 100 },
    );
  });

  it('scenario fields: baseline past 1 h, targets past 6 h, a window of 400 nines', () => {
    const text = replace('baseline: 60s', 'baseline: 600h').replace('recoverWithin: 90s', `recoverWithin: ${nines}s`).replace('window: 10s', 'window: 2h');
    const found = problems(text).map((p) => p.message);
    expect(found).toHaveLength(3);
    expect(found.every((m) => m.includes('out of range'))).toBe(true);
  });

  it('a runbook step timeout past 6 h, and past what a timer can wait', () => {
    for (const timeout of ['600h', '7h', `${nines}s`]) {
      const info = parseFenceInfo('sh', `{"timeout":"${timeout}"}`);
      expect(info.attributes.timeout).toBeUndefined();
      expect(info.problems).toHaveLength(1);
    }
    expect(parseFenceInfo('sh', '{"timeout":"6h"}').attributes.timeout).toBe(6 * 3_600_000);
  });
});

describe('rule thresholds and windows are finite and bounded', () => {
  it('a threshold of 400 nines, or past 1e15, is an error; 1e15 itself is fine', () => {
    expect(parseRule(`lag(group=inventory) > ${nines}`).ok).toBe(false);
    expect(parseRule(`lag(group=inventory) > ${'9'.repeat(16)}`).ok).toBe(false);
    expect(parseRule(`lag(group=inventory) > ${maxThreshold}`).ok).toBe(true);
    expect(parseRule('lag(group=inventory) > 5 for 600h').ok).toBe(false);
    expect(problems(replace('lag(group=inventory) < 200', `lag(group=inventory) < ${nines}`))).toHaveLength(1);
  });

  it('whatever number is written, a parsed rule holds a finite threshold within the bound', () => {
    const digits = fc.stringMatching(/^-?\d{1,30}(\.\d{1,30})?$/);
    fc.assert(
      fc.property(digits, fc.constantFrom('', '/s', 'MB'), (n, unit) => {
        const metric = unit === 'MB' ? 'rss(agent=fulfillment)' : 'throughput(group=inventory)';
        const parsed = parseRule(`${metric} > ${n}${unit}`);
        if (parsed.ok) expect(Math.abs(parsed.rule.conditions[0]!.value)).toBeLessThanOrEqual(maxThreshold);
        else expect(parsed.error.column).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});

describe('values that fit their own bounds but not each other', () => {
  it('a window longer than the baseline, and a recovery target past the time limit, are each a problem at their line', () => {
    const file = path.join(root, 'scenarios', 'downstream-backlog.yaml');
    const text = readFileSync(file, 'utf8').replace(/^baseline: .*$/m, 'baseline: 5s').replace(/^timeLimit: .*$/m, '').concat('\ntimeLimit: 30s\n');
    const problems = scenarioProblems(text, file);
    const lines = text.split('\n');
    const lineOf = (re: RegExp) => lines.findIndex((l) => re.test(l)) + 1;
    expect(problems.find((p) => p.message.includes('longer than the baseline'))?.line).toBe(lineOf(/^\s+window:/));
    expect(problems.find((p) => p.message.includes('past the timeLimit'))?.line).toBe(lineOf(/recoverWithin/));
  });
});
