import { describe, expect, it } from 'vitest';
import { metricNames } from '../../src/detect/rule.ts';
import type { FleetNames } from '../../src/runbook/lint/index.ts';
import { cleanRunbook, edit, fixturesDir, lint, lineOf } from '../fixtures/runbooks/lint-helpers.ts';

const fleet: FleetNames = {
  agents: ['load', 'inventory', 'decision', 'fulfillment', 'sink', 'inventory-api'],
  groups: ['inventory', 'decision', 'fulfillment', 'sink'],
  topics: ['orders', 'inventory-checked', 'decisions', 'fulfilled'],
  scalable: ['inventory', 'decision', 'fulfillment', 'sink'],
  metrics: metricNames,
};

describe('fleet-names (with --scenario)', () => {
  it('passes names the fleet has, and does nothing without a scenario', () => {
    expect(lint(cleanRunbook, 'fleet-names', { fleet })).toEqual([]);
    expect(lint(edit(cleanRunbook, 'ctl scale inventory +2', 'ctl scale inventroy +2'), 'fleet-names')).toEqual([]);
  });

  it('flags an unknown agent with a suggestion, and an unknown group in a rule', () => {
    let text = edit(cleanRunbook, 'ctl scale inventory +2', 'ctl scale inventroy +2');
    text = edit(text, 'lag(group=inventory) < 150\n', 'lag(group=payments) < 150\n');
    const findings = lint(text, 'fleet-names', { fleet });
    expect(findings.map((f) => [f.line, f.message])).toEqual([
      [lineOf(text, 'ctl scale inventroy'), 'the fleet has no scalable agent "inventroy"'],
      [lineOf(text, '```check'), 'the fleet has no group "payments"'],
    ]);
    expect(findings[0]!.hint).toContain('did you mean "inventory"');
  });

  it('flags unknown topics, warns on literal fleet names, and checks the drilled anchor', () => {
    const text = edit(cleanRunbook, '--topic "$ORDERS_TOPIC"', '--topic orders --group checkout');
    const file = `${fixturesDir}/x.md`;
    const findings = lint(text, 'fleet-names', { fleet: { ...fleet, drilled: { file, failureMode: 'backlog-x' } }, file });
    expect(findings.map((f) => [f.line, f.severity, f.message.split(',')[0]])).toEqual([
      [1, 'error', 'the scenario drills #backlog-x'],
      [lineOf(text, '--topic orders'), 'warning', 'topic "orders" is written literally; a drill\'s topics are prefixed per drill'],
      [lineOf(text, '--topic orders'), 'error', 'the fleet has no group "checkout"'],
    ]);
  });

  it('scales agents by their own name where the group is named otherwise (a fleet file)', () => {
    const own: FleetNames = { ...fleet, agents: ['scorer'], groups: ['risk'], scalable: ['scorer'] };
    const ok = edit(edit(cleanRunbook, 'ctl scale inventory +2', 'ctl scale scorer +2'), 'lag(group=inventory) < 150\n', 'lag(group=risk) < 150\n');
    expect(lint(ok, 'fleet-names', { fleet: own }).filter((f) => f.message.includes('scorer') || f.message.includes('"risk"'))).toEqual([]);
    const byGroup = edit(cleanRunbook, 'ctl scale inventory +2', 'ctl scale risk +2');
    expect(lint(byGroup, 'fleet-names', { fleet: own }).map((f) => f.message)).toContain('the fleet has no scalable agent "risk"');
  });

  it('checks metric(agent=...) in the alert, a check and the Health table: an agent of the fleet that serves /metrics', () => {
    const own: FleetNames = { ...fleet, agents: ['scorer', 'ledger'], groups: ['scorer'], scalable: ['scorer'], withMetrics: ['scorer'] };
    let text = edit(cleanRunbook, 'throughput(group=inventory) < 40/s for 3s', 'metric(agent=scorer, name=scorer_fraud_api_errors_total, path="a)b") > 5/s for 2s');
    text = edit(text, 'lag(group=inventory) < 150\n', 'metric(agent=ledger, name=ledger_booked_total) > 0\n');
    text = edit(text, '| `lag(group=inventory)` |', '| `metric(agent=scorr, name=x_total)` |');
    const findings = lint(text, 'fleet-names', { fleet: own }).filter((f) => f.message.includes('metric') || f.message.includes('scorr'));
    expect(findings.map((f) => [f.line, f.message])).toEqual([
      [lineOf(text, 'metric(agent=scorr'), 'the fleet has no agent "scorr"'],
      [lineOf(text, '```check'), 'agent "ledger" has no metrics: endpoint, so metric(agent=ledger, ...) has nothing to read'],
    ]);
    expect(findings[0]!.hint).toContain('did you mean "scorer"');
  });

  it('says why metric() cannot be used on an agent that serves no /metrics', () => {
    const text = edit(cleanRunbook, 'throughput(group=inventory) < 40/s for 3s', 'metric(agent=inventory, name=processed_total) < 40/s for 3s');
    const [finding] = lint(text, 'fleet-names', { fleet });
    expect(finding).toMatchObject({ line: lineOf(text, '```alert') + 1, severity: 'error', message: 'agent "inventory" has no metrics: endpoint, so metric(agent=inventory, ...) has nothing to read' });
  });
});
