import type { LintRule, RuleFinding } from '../types.ts';

/** A phone number, or a paging service: something that wakes a person at 3 a.m. */
const reachable = /\+?\d[\d ().-]{5,}\d|\b(pager|pagerduty|opsgenie|victorops|splunk on-?call|incident\.io|tel:|sms)\b/i;
const chat = /(^|\s)[#@][\w.-]+|\bslack\b|\bteams\b|\bdiscord\b|\bmattermost\b/i;

export const escalationUnreachable: LintRule = {
  id: 'escalation-unreachable',
  severity: 'error',
  description: 'escalation names no contact reachable by phone or pager (a chat handle alone does not wake anyone)',
  check(runbook) {
    const findings: RuleFinding[] = [];
    const section = runbook.escalation;
    if (section) {
      const anyReachable = reachable.test(section.text) || section.contacts.some((c) => reachable.test(c.text));
      if (!anyReachable) {
        const onlyChat = chat.test(section.text);
        findings.push({
          line: section.line,
          column: 1,
          message: onlyChat ? 'escalation lists only chat handles; nobody can be paged' : 'escalation names no phone number or pager',
          hint: 'give each contact a phone or pager: | name | role | phone / pager |',
        });
      } else {
        for (const contact of section.contacts) {
          if (reachable.test(contact.text)) continue;
          findings.push({ line: contact.line, column: contact.column, severity: 'warning', message: `contact "${contact.text.slice(0, 60)}" has no phone or pager`, hint: 'add a phone number or pager for this contact' });
        }
      }
    }
    for (const mode of runbook.failureModes) {
      const steps = mode.phases.escalate;
      if (steps.length === 0) continue;
      const text = steps.map((s) => `${s.text}\n${s.command ?? ''}`).join('\n');
      // "see Escalation" defers to the section, which is checked above.
      if (reachable.test(text) || /\bescalation\b/i.test(text)) continue;
      findings.push({
        line: mode.headings.escalate ?? steps[0]!.line,
        column: 1,
        message: `"${mode.title}": Escalate names no one reachable by phone or pager`,
        hint: 'name the person or rota with a phone or pager, or refer to the Escalation section',
      });
    }
    return findings;
  },
};
