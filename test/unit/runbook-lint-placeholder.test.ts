import { describe, expect, it } from 'vitest';
import { cleanRunbook, edit, lint, lineOf } from '../fixtures/runbooks/lint-helpers.ts';

describe('unbound-placeholder', () => {
  it('passes drill variables, front matter env, step-local assignments and defaults', () => {
    expect(lint(cleanRunbook, 'unbound-placeholder')).toEqual([]);
    const text = edit(cleanRunbook, 'agentdrill ctl scale inventory +2', 'N=2; for i in 1; do agentdrill ctl scale inventory "+$N$i${EXTRA:-}"; done; echo "$HOME"');
    expect(lint(text, 'unbound-placeholder')).toEqual([]);
  });

  it('flags $VAR, ${VAR}, <var> and {{var}} at their columns', () => {
    const text = edit(cleanRunbook, 'agentdrill ctl scale inventory +2', 'agentdrill ctl scale ${AGENT} <count> {{ .mode }} $RUN_IDX');
    const line = lineOf(text, 'agentdrill ctl scale ${AGENT}');
    expect(lint(text, 'unbound-placeholder').map((f) => [f.line, f.column, f.severity])).toEqual([
      [line, 22, 'error'],
      [line, 31, 'error'],
      [line, 39, 'error'],
      [line, 51, 'error'],
    ]);
  });

  it('binds a placeholder through front matter env:, and only warns for inline code a person pastes', () => {
    const bound = edit(cleanRunbook, '  RUN_ID: drill', '  RUN_ID: drill\n  POD: inventory-0');
    expect(lint(edit(bound, 'agentdrill ctl scale inventory +2', 'agentdrill ctl kill <pod>'), 'unbound-placeholder')).toEqual([]);
    const inline = edit(cleanRunbook, '- Page the inventory API owner', '- Run `kubectl logs $POD`, then page the inventory API owner');
    expect(lint(inline, 'unbound-placeholder')).toMatchObject([{ line: lineOf(inline, 'kubectl logs'), column: 21, severity: 'warning' }]);
  });
});
