import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentdrillError, type Problem } from '../../src/core/errors.ts';
import { lintRunbook } from '../../src/runbook/lint/index.ts';
import { parseRunbook } from '../../src/runbook/parse.ts';
import { validateScenarioText } from '../../src/scenario/validate.ts';
import { testContext } from '../fixtures/runbooks/lint-helpers.ts';

/** Exact lines and columns for each kind of problem: an off-by-one anywhere shows up here. */
const root = path.resolve(import.meta.dirname, '..', '..');
const shipped = readFileSync(path.join(root, 'scenarios', 'downstream-backlog.yaml'), 'utf8');
const file = path.join(root, 'scenarios', 'lines.yaml');

function problems(text: string): Problem[] {
  try {
    validateScenarioText(text, file);
  } catch (e) {
    expect((e as AgentdrillError).code).toBe('SCENARIO_INVALID');
    return [...(e as AgentdrillError).problems];
  }
  throw new Error('accepted');
}

/** 1-based line and column of `needle` in `text`. */
function at(text: string, needle: string, occurrence = 0): { line: number; column: number } {
  const lines = text.split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(needle) ? [{ line: i + 1, column: l.indexOf(needle) + 1 }] : []));
  return hits[occurrence]!;
}

function replace(from: string, to: string): string {
  expect(shipped).toContain(from);
  return shipped.replace(from, to);
}

describe('scenario problem positions', () => {
  it('an unknown key: the key itself', () => {
    const text = replace('drain: 60s', 'drian: 60s');
    expect(problems(text)[0]).toMatchObject(at(text, 'drian'));
  });

  it('a value of the wrong type: the value', () => {
    const text = replace('  rate: 60/s', '  rate: [60]');
    expect(problems(text)[0]).toMatchObject(at(text, '[60]'));
  });

  it('a missing nested key: its parent key, not the line after it (was one line late)', () => {
    const text = replace('  recoverWithin: 90s\n', '');
    expect(problems(text)[0]).toMatchObject({ ...at(text, 'targets:'), message: expect.stringContaining('recoverWithin') as unknown });
    const noType = replace(/ {2}type: latency.*\n/.exec(shipped)![0], '');
    expect(problems(noType)[0]).toMatchObject(at(noType, 'fault:'));
  });

  it('a bad token in a rule: its column inside the string', () => {
    const text = replace('lag(group=inventory) < 200', 'lag(group=inventory) < lots');
    expect(problems(text)[0]).toMatchObject(at(text, 'lots'));
  });

  it('a provider this version lacks: the provider line', () => {
    const text = replace('provider: local', 'provider: nomad');
    expect(problems(text)[0]).toMatchObject(at(text, 'nomad'));
  });

  it('a BOM before the scenario changes no position', () => {
    const text = replace('drain: 60s', 'drian: 60s');
    expect(problems('\uFEFF' + text)[0]).toMatchObject({ line: at(text, 'drian').line });
  });
});

const fence = '```';
function runbookFindings(lines: string[]) {
  return lintRunbook(parseRunbook(lines.join('\n'), '/tmp/lines.md'), testContext());
}

describe('runbook finding positions', () => {
  const header = ['---', 'owner: x', '---', '# Service', '## Failure modes', '### Lag', '#### Detect'];

  it('an alert rule error after a blank line and indentation, or on its second line', () => {
    const blankFirst = runbookFindings([...header, `${fence}alert`, '', '   lag(group=inventory) > soon for 3s', fence]);
    expect(blankFirst.find((f) => f.rule === 'alert-syntax')).toMatchObject({ line: header.length + 3, column: 27 });
    const wrapped = runbookFindings([...header, `${fence}alert`, 'lag(group=inventory) > 5 and', '  lag(group=decision) > soon', fence]);
    expect(wrapped.find((f) => f.rule === 'alert-syntax')).toMatchObject({ line: header.length + 3, column: 25 });
  });

  it('a check with a "for" window: the word "for"', () => {
    const lines = [...header, `${fence}alert`, 'lag(group=inventory) > 5 for 3s', fence, '#### Verify', `${fence}check`, 'lag(group=inventory) < 5 for 3s', fence];
    expect(runbookFindings(lines).find((f) => f.rule === 'check-syntax')).toMatchObject({ line: lines.length - 1, column: 26 });
  });

  it('front matter YAML errors and bad fence attributes: their own lines', () => {
    const yaml = runbookFindings(['---', 'owner: x', 'env: [1', '---', '# T']);
    expect(yaml.find((f) => f.rule === 'front-matter')).toMatchObject({ line: 3 });
    const attrs = runbookFindings([...header, '#### Respond', `${fence}sh { timeout=600h }`, 'echo', fence]);
    expect(attrs.find((f) => f.rule === 'fence-attributes')).toMatchObject({ line: header.length + 2, column: 1 });
  });

  it('an unclosed fence: its own finding at the opening line, and no step made of prose', () => {
    const lines = [...header, `${fence}alert`, 'lag(group=inventory) > 5 for 3s', fence, '#### Respond', 'Scale out:', '', `${fence}sh`, 'agentdrill ctl scale inventory +2', '', '## Rollback', 'nosuch-command --now'];
    const parsed = parseRunbook(lines.join('\n'), '/tmp/lines.md');
    expect(parsed.findings.find((f) => f.rule === 'fence-unclosed')).toMatchObject({ line: lines.indexOf(`${fence}sh`) + 1, column: 1, severity: 'error' });
    expect(parsed.runbook.failureModes[0]!.phases.respond.filter((s) => !s.manual)).toEqual([]);
    expect(lintRunbook(parsed, testContext()).some((f) => f.rule === 'command-not-found')).toBe(false);
  });

  it('a BOM before the front matter: the front matter is read, positions unchanged', () => {
    const parsed = parseRunbook(['\uFEFF---', 'env:', '  1BAD: x', '---', '# T'].join('\n'), '/tmp/lines.md');
    expect(parsed.findings.find((f) => f.rule === 'front-matter')).toMatchObject({ line: 2 });
    const ok = parseRunbook(['\uFEFF---', 'env:', '  RUN_ID: drill', '---', '# T'].join('\n'), '/tmp/lines.md');
    expect(ok.runbook.env).toEqual({ RUN_ID: 'drill' });
  });
});
