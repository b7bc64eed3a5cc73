import { describe, expect, it } from 'vitest';
import { cleanRunbook, edit, lint, lineOf } from '../fixtures/runbooks/lint-helpers.ts';

describe('rollback-one-command', () => {
  it('passes one command (a pipeline is one command) with a decider', () => {
    expect(lint(cleanRunbook, 'rollback-one-command')).toEqual([]);
    const piped = edit(cleanRunbook, 'agentdrill ctl scale inventory 1', 'agentdrill ctl status | grep inventory');
    expect(lint(piped, 'rollback-one-command')).toEqual([]);
  });

  it('flags a second command at its line', () => {
    const text = edit(cleanRunbook, 'agentdrill ctl scale inventory 1', 'agentdrill ctl scale inventory 1\nagentdrill ctl scale decision 1');
    expect(lint(text, 'rollback-one-command')).toMatchObject([{ line: lineOf(text, 'ctl scale decision 1'), severity: 'error', message: 'rollback is 2 commands; it should be one' }]);
  });

  it('warns when rollback is prose only or does not say who decides', () => {
    const text = edit(cleanRunbook, 'The on-call engineer may roll back on their own.\n\n```sh\nagentdrill ctl scale inventory 1\n```', 'Undo the scale-out.');
    expect(lint(text, 'rollback-one-command').map((f) => [f.line, f.severity])).toEqual([
      [lineOf(text, '## Rollback'), 'warning'],
      [lineOf(text, '## Rollback'), 'warning'],
    ]);
  });
});
