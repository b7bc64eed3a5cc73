import { describe, expect, it } from 'vitest';
import { renderSummary, toJsonResult } from '../../src/report/index.ts';
import { scoreDrill } from '../../src/score/index.ts';
import { buildJournal } from './fixtures/journal-fixture.ts';

const paths = { journal: 'reports/d1/journal.json', report: 'reports/d1/report.html' };

describe('renderSummary', () => {
  it('prints verdict, figures against targets, integrity and paths', () => {
    const lines = renderSummary(scoreDrill(buildJournal()), paths);
    expect(lines[0]).toBe('verdict: PASSED');
    expect(lines).toContain('  detect:    12s (target 20s, ok), lower bound 10.3s');
    expect(lines).toContain('  recover:   45s (target 90s, ok)');
    expect(lines).toContain('  integrity: produced 12000, processed 12000, lost 0, duplicated 3, invalid 0');
    expect(lines).toContain('journal: reports/d1/journal.json');
    expect(lines).toContain('report:  reports/d1/report.html');
  });

  it('marks missed targets and lists reasons', () => {
    const lines = renderSummary(scoreDrill(buildJournal({ recoverAfterMs: null, integrity: null })), {});
    expect(lines[0]).toBe('verdict: FAILED');
    expect(lines).toContain('  recover:   — (target 90s, not measured)');
    expect(lines).toContain('  integrity: no report');
    expect(lines).toContain('  - recover: not recovered within 90s target');
    expect(lines.some((l) => l.startsWith('journal:'))).toBe(false);
  });
});

describe('toJsonResult', () => {
  it('has the documented flat shape', () => {
    const result = toJsonResult('downstream-backlog', scoreDrill(buildJournal({ detectAfterMs: 24_100 })), paths);
    expect(result).toEqual({
      scenario: 'downstream-backlog',
      verdict: 'failed',
      ttdMs: 24_100,
      ttrMs: 45_000,
      targets: { detectMs: 20_000, recoverMs: 90_000 },
      integrity: { produced: 12_000, processed: 12_000, lost: 0, duplicated: 3 },
      reasons: ['detect: 24.1s > 20s target'],
      faultFigures: null,
      versions: null,
      overrides: [],
      // A journal from before responders has no responder part.
      responder: null,
      journal: paths.journal,
      report: paths.report,
    });
  });

  it('uses null for whatever was not measured, so the JSON keeps every key', () => {
    const result = toJsonResult('x', scoreDrill(buildJournal({ detectAfterMs: null, recoverAfterMs: null, integrity: null })), {});
    const parsed = JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
    expect(parsed).toMatchObject({ ttdMs: null, ttrMs: null, integrity: null, faultFigures: null, journal: null, report: null });
  });
});
