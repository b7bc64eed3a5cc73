import { describe, expect, it } from 'vitest';
import { cleanRunbook, edit, lint, lineOf } from '../fixtures/runbooks/lint-helpers.ts';

describe('step-no-time', () => {
  it('passes steps with a phase estimate or a timeout attribute', () => {
    expect(lint(cleanRunbook, 'step-no-time')).toEqual([]);
  });

  it('flags a command step without either, and manual steps once per phase', () => {
    let text = edit(cleanRunbook, '#### Diagnose (~2 min)', '#### Diagnose');
    text = edit(text, '#### Escalate (~5 min)', '#### Escalate');
    expect(lint(text, 'step-no-time').map((f) => [f.line, f.severity])).toEqual([
      [lineOf(text, '```console'), 'warning'],
      [lineOf(text, '#### Escalate'), 'warning'],
    ]);
  });
});
