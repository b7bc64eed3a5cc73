import { describe, expect, it } from 'vitest';
import { cleanRunbook, edit, fence, lint, lineOf } from '../fixtures/runbooks/lint-helpers.ts';

const collect = `${fence}console {"name":"collect"}\n$ ./scripts/collect-logs.sh "$RUN_ID"\ncollecting logs for run drill\n${fence}`;

describe('inline-command', () => {
  it('passes prose with inline names that are not commands, and inline code in Escalate', () => {
    expect(lint(edit(cleanRunbook, collect, '1. Check that `orders` still lags.'), 'inline-command')).toEqual([]);
    expect(lint(edit(cleanRunbook, '- Page the inventory API owner', '- Paste `kubectl -n prod get pods` and page the owner'), 'inline-command')).toEqual([]);
  });

  it('flags a command written inline in a manual Diagnose step', () => {
    const text = edit(cleanRunbook, collect, '1. Run `kubectl -n prod get pods`.');
    expect(lint(text, 'inline-command')).toMatchObject([{ line: lineOf(text, 'kubectl -n prod'), column: 8, severity: 'warning' }]);
  });
});
