import type { LintRule, RuleFinding } from '../types.ts';

/** "Contact the database team", "escalate to Platform Engineering", "page the on-call DBA". */
const verbs = ['contact', 'page', 'call', 'ping', 'notify', 'inform', 'reach out to', 'escalate to', 'escalate it to', 'loop in', 'engage', 'get hold of', 'talk to'];
const verb = verbs.map((v) => `[${v[0]!.toUpperCase()}${v[0]}]${v.slice(1).replace(/ /g, '\\s+')}`).join('|');
const team = '(team|on-?call|owners?|sres?|engineers?|lead|manager|dbas?|support|vendor|admins?|administrators?|squad|rotation|experts?)';
const asksToContact = new RegExp(`\\b(?:${verb})\\s+(?:(?:the|your|an?)\\s+(?:[\\w-]+\\s+){0,3}?${team}\\b|[A-Z][\\w-]+(?:\\s+[A-Z][\\w-]+)*)`);
/** A way to reach someone: a number, a pager, a link, a channel, an address, or the page's Escalation section. */
const wayToReach = /\+?\d[\d ().-]{5,}\d|\b(pager|pagerduty|opsgenie|victorops|incident\.io|tel:|sms|slack|teams channel)\b|https?:\/\/|(^|\s)[#@][\w.-]+|[\w.+-]+@[\w-]+\.[\w.]+|\bescalation (section|policy|path|contacts)\b|\bsee (the )?escalation\b|\bbelow\b|\babove\b/i;

/**
 * Prose that sends on-call to someone without saying how to reach them. A page whose Escalation
 * section gives a phone or pager has said it once for all; the section itself is
 * escalation-unreachable's.
 */
export const contactUnreachable: LintRule = {
  id: 'contact-unreachable',
  severity: 'warning',
  description: '"contact team X" with no way to reach them: no phone, pager, link, channel or Escalation section',
  check(runbook) {
    // With an Escalation section, "escalate to L3" refers to it, and escalation-unreachable judges it.
    if (runbook.escalation) return [];
    const findings: RuleFinding[] = [];
    for (const prose of runbook.page.prose) {
      const m = asksToContact.exec(prose.text);
      if (!m || prose.links.length > 0 || wayToReach.test(prose.text)) continue;
      const whom = m[0].replace(/\s+/g, ' ');
      findings.push({ line: prose.line, column: prose.column, message: `"${whom}" (${prose.where}) says whom to contact but not how`, hint: 'add their pager, phone or PagerDuty/Opsgenie service, or a link to the rota; or refer to the Escalation section and give it one' });
    }
    return findings;
  },
};
