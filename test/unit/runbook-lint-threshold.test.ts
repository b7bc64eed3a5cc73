import { describe, expect, it } from 'vitest';
import { cleanRunbook, edit, lint, lineOf } from '../fixtures/runbooks/lint-helpers.ts';

describe('threshold-incomplete', () => {
  it('passes alerts with a window and health rows with numbers and a red window', () => {
    expect(lint(cleanRunbook, 'threshold-incomplete')).toEqual([]);
  });

  it('flags an alert without a for window at the rule line', () => {
    const text = edit(cleanRunbook, 'throughput(group=inventory) < 40/s for 3s\n```', 'throughput(group=inventory) < 40/s\n```');
    expect(lint(text, 'threshold-incomplete')).toMatchObject([{ line: lineOf(text, 'throughput(group=inventory) < 40/s'), severity: 'error' }]);
  });

  it('flags a red cell without a window or a number at the cell, and a green cell without a number as a warning', () => {
    let text = edit(cleanRunbook, '| > 500 for 3s |', '| > 500 |');
    text = edit(text, '| ≥ 50/s | 40–50/s | < 40/s for 3s |', '| fast | slow | very slow |');
    const findings = lint(text, 'threshold-incomplete');
    expect(findings.map((f) => [f.line, f.column, f.severity, f.message])).toEqual([
      [lineOf(text, '| > 500 |'), 46, 'error', 'red threshold of lag(group=inventory) ("> 500") has no window'],
      [lineOf(text, 'very slow'), 35, 'warning', 'green threshold of throughput(group=inventory) ("fast") has no number'],
      [lineOf(text, 'very slow'), 49, 'error', 'red threshold of throughput(group=inventory) ("very slow") has no number'],
    ]);
  });
});
