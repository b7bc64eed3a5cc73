import type { Journal } from '../core/journal.ts';
import type { DrillPlan } from './plan.ts';

/**
 * What the page says fired. Paged by the team's Prometheus rule, it is Alertmanager's
 * notification as its receiver got it (the alert, its labels, its summary): what the on-call
 * person would read on their pager, not the runbook's rule text. Otherwise the built-in rule.
 */
export function pageAlert(plan: Pick<DrillPlan, 'detection' | 'runbook'>, journal: Journal): string {
  const notified = plan.detection ? journal.ofType('alert.notified').filter((e) => e.payload.status === 'firing').at(-1) : undefined;
  if (!notified) return plan.runbook.alertRule;
  const { alert, labels, annotations, receiver } = notified.payload;
  const shown = Object.entries(labels)
    .filter(([name]) => name !== 'alertname')
    .map(([name, value]) => `${name}="${value}"`)
    .join(', ');
  const summary = annotations.summary ?? annotations.description;
  return `${alert}{${shown}} from Alertmanager (receiver ${receiver})${summary ? `: ${summary}` : ''}`;
}
