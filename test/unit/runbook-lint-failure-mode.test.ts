import { describe, expect, it } from 'vitest';
import { cleanRunbook, edit, lint, lineOf } from '../fixtures/runbooks/lint-helpers.ts';

describe('failure-mode-incomplete', () => {
  it('passes a failure mode with an alert, response, verification and escalation', () => {
    expect(lint(cleanRunbook, 'failure-mode-incomplete')).toEqual([]);
  });

  it('flags an empty Verify at its heading and a missing Escalate at the failure mode', () => {
    let text = edit(cleanRunbook, '```check {"name":"lag-draining","timeout":"150s"}\nlag(group=inventory) < 150\n```\n', '');
    text = edit(text, '#### Escalate (~5 min)\n\n- Page the inventory API owner, pager +1-555-0142.\n', '');
    const findings = lint(text, 'failure-mode-incomplete');
    expect(findings.map((f) => [f.line, f.message])).toEqual([
      [lineOf(text, '### Downstream backlog'), '"Downstream backlog" has no Escalate (whom to call when it did not)'],
      [lineOf(text, '#### Verify'), '"Downstream backlog": Verify is empty'],
    ]);
  });

  it('flags a Detect without an alert block', () => {
    const text = edit(cleanRunbook, '```alert\nthroughput(group=inventory) < 40/s for 3s\n```', 'The dashboard turns red.');
    expect(lint(text, 'failure-mode-incomplete')).toMatchObject([{ line: lineOf(text, '#### Detect'), severity: 'error', message: expect.stringContaining('no ```alert') as unknown }]);
  });

  it('lets a one-alert page escalate through its Escalation section', () => {
    const page = ['# LagHigh', '## Symptoms', '```alert', 'lag(group=a) > 5 for 1m', '```', '## Mitigation', 'Scale out.', '## Verification', 'Lag falls.', '## Escalation', '- on-call, pager +1-555-0100'].join('\n');
    expect(lint(page, 'failure-mode-incomplete')).toEqual([]);
    expect(lint(edit(page, '## Escalation', '## Notes'), 'failure-mode-incomplete')).toMatchObject([{ message: expect.stringContaining('no Escalate') as unknown }]);
  });
});
