import { describe, expect, it } from 'vitest';
import { cleanRunbook, edit, lint, lineOf } from '../fixtures/runbooks/lint-helpers.ts';

describe('escalation-unreachable', () => {
  it('passes contacts with a pager or phone', () => {
    expect(lint(cleanRunbook, 'escalation-unreachable')).toEqual([]);
  });

  it('flags an Escalation section of chat handles only, at its heading', () => {
    const text = edit(cleanRunbook, '| Order pipeline on-call | first responder | pager +1-555-0100 |', '| Order pipeline on-call | first responder | #orders-oncall |');
    expect(lint(text, 'escalation-unreachable')).toMatchObject([{ line: lineOf(text, '## Escalation'), severity: 'error', message: expect.stringContaining('only chat handles') as unknown }]);
  });

  it('warns for one chat-only contact among reachable ones, and flags an Escalate phase naming no one', () => {
    let text = edit(cleanRunbook, '| Order pipeline on-call | first responder | pager +1-555-0100 |', '| Order pipeline on-call | first responder | pager +1-555-0100 |\n| Ana | API lead | @ana |');
    text = edit(text, '- Page the inventory API owner, pager +1-555-0142.', '- Ask in #inventory.');
    expect(lint(text, 'escalation-unreachable').map((f) => [f.line, f.severity])).toEqual([
      [lineOf(text, '#### Escalate'), 'error'],
      [lineOf(text, '| Ana |'), 'warning'],
    ]);
  });
});
