import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/core/journal.ts';
import type { PrometheusDetectionRecord } from '../../src/core/events.ts';
import { pageAlert } from '../../src/drill/page-alert.ts';
import type { DrillPlan } from '../../src/drill/plan.ts';

const runbook = { alertRule: 'lag(group=inventory) > 150 for 2s' } as DrillPlan['runbook'];
const detection = { kind: 'prometheus', alert: 'InventoryLagHigh' } as PrometheusDetectionRecord;
let now = 1_000;
const clock = { now: () => (now += 10), sleep: () => Promise.resolve() };

describe('what the page says fired', () => {
  it('paged by the team\'s rule: Alertmanager\'s firing notification, labels and summary as the receiver got them', () => {
    const journal = new Journal(clock);
    journal.record('alert.notified', { alert: 'InventoryLagHigh', status: 'resolved', receiver: 'drill', labels: { alertname: 'InventoryLagHigh', severity: 'info' }, annotations: {} });
    journal.record('alert.notified', { alert: 'InventoryLagHigh', status: 'firing', receiver: 'drill', labels: { alertname: 'InventoryLagHigh', severity: 'page', team: 'orders' }, annotations: { summary: 'inventory is 900 behind' } });
    expect(pageAlert({ runbook, detection }, journal)).toBe('InventoryLagHigh{severity="page", team="orders"} from Alertmanager (receiver drill): inventory is 900 behind');
  });

  it('the built-in rule, or no firing notification: the runbook\'s alert rule', () => {
    const journal = new Journal(clock);
    expect(pageAlert({ runbook, detection: undefined }, journal)).toBe(runbook.alertRule);
    journal.record('alert.notified', { alert: 'InventoryLagHigh', status: 'resolved', receiver: 'drill', labels: {}, annotations: {} });
    expect(pageAlert({ runbook, detection }, journal)).toBe(runbook.alertRule);
  });
});
