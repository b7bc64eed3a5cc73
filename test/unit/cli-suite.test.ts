import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DrillOutcome } from '../../src/cli/drill-runner.ts';
import { parseSettings } from '../../src/cli/ctl-command.ts';
import { renderSuiteTable, scenarioFiles, suiteExitCode } from '../../src/cli/suite.ts';
import type { Verdict } from '../../src/core/exit-codes.ts';

function outcome(scenario: string, verdict: Verdict, interrupted = false): DrillOutcome {
  const targets = { detectMs: 20_000, recoverMs: 90_000 };
  return {
    score: { verdict, reasons: [], ttdMs: 3000, ttrMs: 15_000, targets, missed: [], integrity: undefined, detectLowerBoundMs: 3250 },
    result: { scenario, verdict, ttdMs: 3000, ttrMs: 15_000, targets, integrity: null, reasons: [], faultFigures: null, versions: null, overrides: [], responder: null, journal: null, report: null },
    interrupted,
    durationMs: 45_000,
  };
}

describe('suite', () => {
  it('exits with the worst outcome', () => {
    expect(suiteExitCode([outcome('a', 'passed'), outcome('b', 'passed')])).toBe(0);
    expect(suiteExitCode([outcome('a', 'passed'), outcome('b', 'inconclusive')])).toBe(3);
    expect(suiteExitCode([outcome('a', 'inconclusive'), outcome('b', 'failed')])).toBe(1);
    expect(suiteExitCode([outcome('a', 'failed'), outcome('b', 'error')])).toBe(4);
    expect(suiteExitCode([outcome('a', 'passed'), outcome('b', 'passed', true)])).toBe(130);
  });

  it('renders one aligned row per scenario and a count', () => {
    const table = renderSuiteTable([outcome('downstream-backlog', 'passed'), outcome('kill-consumer', 'failed')]);
    const lines = table.split('\n');
    expect(lines[1]).toMatch(/^downstream-backlog\s+PASSED\s+3\.0s \/ 20\.0s\s+15\.0s \/ 90\.0s/);
    expect(lines[2]).toMatch(/^kill-consumer\s+FAILED/);
    expect(lines.at(-1)).toBe('1 passed, 1 not passed');
  });

  it('takes a folder as every *.yaml in it, sorted, and a file as itself', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'suite-'));
    for (const f of ['b.yaml', 'a.yaml', 'notes.md']) writeFileSync(path.join(dir, f), '');
    expect(await scenarioFiles(dir)).toEqual({ files: [path.join(dir, 'a.yaml'), path.join(dir, 'b.yaml')], suite: true });
    expect(await scenarioFiles(path.join(dir, 'a.yaml'))).toEqual({ files: [path.join(dir, 'a.yaml')], suite: false });
    const empty = mkdtempSync(path.join(os.tmpdir(), 'suite-empty-'));
    try {
      await expect(scenarioFiles(empty)).rejects.toMatchObject({ code: 'SCENARIO_NOT_FOUND' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('ctl settings', () => {
  it('types numbers and booleans and rejects pairs without =', () => {
    expect(parseSettings(['cacheTtlMs=2000', 'enabled=true', 'name=x=y'])).toEqual({ cacheTtlMs: 2000, enabled: true, name: 'x=y' });
    expect(() => parseSettings(['cacheTtlMs'])).toThrow(expect.objectContaining({ code: 'USAGE' }) as Error);
  });
});
