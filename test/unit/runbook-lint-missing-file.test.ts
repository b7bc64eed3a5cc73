import { describe, expect, it } from 'vitest';
import { cleanRunbook, edit, lint, lineOf } from '../fixtures/runbooks/lint-helpers.ts';

describe('missing-file', () => {
  it('passes scripts that exist next to the runbook, and absolute or variable paths', () => {
    expect(lint(cleanRunbook, 'missing-file')).toEqual([]);
    const text = edit(cleanRunbook, 'agentdrill ctl scale inventory +2', 'cat /etc/hosts > "./out/$RUN_ID.txt"');
    expect(lint(text, 'missing-file')).toEqual([]);
  });

  it('flags a script, a --flag=./file and a relative link that do not exist', () => {
    let text = edit(cleanRunbook, 'agentdrill ctl scale inventory +2', 'bash scripts/scale.sh --config=./scale.yaml');
    text = edit(text, 'Exercises every feature', 'See [the dashboard notes](docs/dashboards.md#lag). Exercises every feature');
    const findings = lint(text, 'missing-file');
    expect(findings.map((f) => [f.line, f.column, f.severity])).toEqual([
      [lineOf(text, 'the dashboard notes'), 5, 'warning'],
      [lineOf(text, 'bash scripts/scale.sh'), 6, 'error'],
      [lineOf(text, 'bash scripts/scale.sh'), 23, 'error'],
    ]);
    expect(findings[1]!.message).toContain('scripts/scale.sh');
  });
});
