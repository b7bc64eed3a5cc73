import { formatSeconds } from '../../score/format.ts';
import { displayText } from '../../core/errors.ts';
import type { PlannedStep } from '../../drill/plan.ts';
import type { ResponderPolicy } from '../policy.ts';
import { promptUsage } from './commands.ts';

/** The terminal bell: a page should be heard by someone looking at another window. */
export const bell = '\x07';

/** The page as people at the terminal see it: hard to miss, with what fired and for what. */
export function pageBanner(page: { alert: string; failureMode: { id: string; title: string } }): string {
  const rule = '!'.repeat(72);
  return [bell, rule, `!!  PAGED: ${displayText(page.failureMode.title)} (#${page.failureMode.id})`, `!!  alert: ${displayText(page.alert)}`, '!!  type `ack` to acknowledge, then work the runbook below', rule, ''].join('\n');
}

/**
 * The failure mode's section, numbered as the prompt takes steps (`run 2`), each with its phase,
 * tier and command or prose; runbook text is shown through displayText, as every message is.
 */
export function runbookSection(o: { title: string; file: string; steps: readonly PlannedStep[]; policy: ResponderPolicy }): string {
  const lines = [`runbook: ${displayText(o.file)} — ${displayText(o.title)}`];
  o.steps.forEach((s, i) => {
    const tier = o.policy.tiers[s.name] ?? s.tier;
    lines.push(`  ${i + 1}. [${s.phase}] ${displayText(s.name)} (${tier}${s.manual ? ', by hand: mark it with done' : ''})`);
    if (s.command) for (const line of s.command.split('\n')) lines.push(`       $ ${displayText(line)}`);
    else if (s.text) lines.push(`       ${displayText(s.text.replace(/\s+/g, ' ').slice(0, 300))}`);
  });
  const asked = o.policy.approvalWaitMs === undefined ? '' : `; a destructive call waits up to ${formatSeconds(o.policy.approvalWaitMs)} for another person's agentdrill ctl approve`;
  lines.push(`you may act up to "${o.policy.allow}"${o.policy.approve.length ? `, and approved: ${o.policy.approve.join(', ')}` : ''}${asked}; anything above is refused and fails the drill`);
  return lines.join('\n');
}

export function helpText(): string {
  return ['prompt commands:', ...promptUsage.map((l) => `  ${l}`), '`agentdrill ctl` from any other terminal of the drill counts as yours too.'].join('\n');
}
