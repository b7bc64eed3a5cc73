import { describe, expect, it } from 'vitest';
import { cleanRunbook, edit, lint, where } from '../fixtures/runbooks/lint-helpers.ts';

describe('missing-section', () => {
  it('passes a runbook with all six sections, under their names or aliases', () => {
    expect(lint(cleanRunbook, 'missing-section')).toEqual([]);
    const aliased = edit(edit(cleanRunbook, '## Service summary', '## Overview'), '## Change log', '## Revision history');
    expect(lint(aliased, 'missing-section')).toEqual([]);
  });

  it('flags a missing Rollback as an error and a missing change log as a warning, at line 1', () => {
    const text = edit(edit(cleanRunbook, '## Rollback (~1 min)', '## Undo'), '## Change log', '## Notes');
    const findings = lint(text, 'missing-section');
    expect(findings.map((f) => [f.line, f.severity, f.message])).toEqual([
      [1, 'error', 'no "Rollback" section'],
      [1, 'warning', 'no "Change log" section'],
    ]);
    expect(findings[0]!.hint).toContain('## Rollback');
  });

  it('flags a Failure modes section with no failure mode in it', () => {
    const findings = lint('# X\n\n## Failure modes\n\nNothing yet.\n', 'missing-section');
    expect(findings.find((f) => f.message.includes('has no failure mode'))).toMatchObject({ line: 3, severity: 'error' });
  });
});
