import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { AgentdrillError } from '../../src/core/errors.ts';
import { exitCodeForError } from '../../src/core/exit-codes.ts';
import type { JournalEvent } from '../../src/core/journal.ts';
import { AlertWatch, type AlertTransition } from '../../src/detect/prometheus/alert-watch.ts';
import type { PrometheusApi } from '../../src/detect/prometheus/api.ts';
import { renderAlertmanagerConfig, renderPrometheusConfig } from '../../src/detect/prometheus/config.ts';
import { parseNotification, sdGroups } from '../../src/detect/prometheus/harness-endpoints.ts';
import { candidateNames } from '../../src/detect/prometheus/record.ts';
import { parsePromDuration, readRuleFileText } from '../../src/detect/prometheus/rule-file.ts';
import { requirePrometheusTools } from '../../src/detect/prometheus/tools.ts';
import { promtoolTestFromJournal, seriesText, values } from '../../src/export/promtool-test.ts';
import { SampleExporter } from '../../src/observe/exporter.ts';
import { LagClock } from '../../src/observe/lag-seconds.ts';
import { eventRows } from '../../src/report/event-rows.ts';
import { timelineMarkers } from '../../src/report/markers.ts';
import { scoreDrill } from '../../src/score/index.ts';
import { buildJournal } from './fixtures/journal-fixture.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const shippedRules = path.join(root, 'monitoring', 'order-pipeline.rules.yml');

describe('the /metrics exporter (kafka_exporter, kafka-lag-exporter, cAdvisor, kube-state-metrics names)', () => {
  const prefix = 'ad-abc123-';
  const detail = (committed: number, high: number, restarts = 0) => ({
    groups: { inventory: { groupId: `${prefix}inventory`, topic: `${prefix}orders`, partitions: [{ partition: 0, high, committed, lag: high - committed }, { partition: 1, high: 10, committed: -1, lag: 10 }] } },
    instances: [{ id: 'inventory-1', agent: 'inventory', pid: 1, state: 'running' as const, restarts, adminUrl: '' }],
  });
  const sample = { groups: { inventory: { lag: 30, throughput: 5, committed: 100, state: 'Stable', members: 1 } }, agents: { 'inventory-1': { agent: 'inventory', rssBytes: 123_456, up: true } }, counters: {} };

  it('serves each series under the ecosystem name with its labels, groups and topics without the drill prefix', async () => {
    const e = new SampleExporter(prefix);
    e.update(1000, sample, detail(100, 120));
    const { body } = await e.exposition();
    expect(body).toContain('kafka_consumergroup_lag{consumergroup="inventory",topic="orders",partition="0"} 20');
    expect(body).toContain('kafka_consumergroup_current_offset{consumergroup="inventory",topic="orders",partition="1"} -1');
    expect(body).toContain('kafka_topic_partition_current_offset{topic="orders",partition="0"} 120');
    expect(body).toContain('kafka_consumergroup_members{consumergroup="inventory"} 1');
    expect(body).toContain('kafka_consumergroup_state{consumergroup="inventory",state="Stable"} 1');
    expect(body).toContain('kafka_consumergroup_group_max_lag_seconds{cluster_name="agentdrill",group="inventory"}');
    expect(body).toContain('container_memory_working_set_bytes{namespace="agentdrill",pod="inventory-1",container="inventory",agent="inventory"} 123456');
    expect(body).toContain('kube_pod_container_status_restarts_total{namespace="agentdrill",pod="inventory-1",container="inventory",agent="inventory"} 0');
    expect(body).toContain('# TYPE kube_pod_container_status_restarts_total counter');
  });

  it('counts restarts as a counter that only grows, and drops series of instances now gone', async () => {
    const e = new SampleExporter(prefix);
    e.update(1000, sample, detail(100, 120, 0));
    e.update(2000, sample, detail(100, 120, 2));
    e.update(3000, sample, detail(100, 120, 1));
    expect((await e.exposition()).body).toContain('kube_pod_container_status_restarts_total{namespace="agentdrill",pod="inventory-1",container="inventory",agent="inventory"} 2');
    e.update(4000, { ...sample, agents: {} }, { ...detail(100, 120), instances: [] });
    expect((await e.exposition()).body).not.toContain('container_memory_working_set_bytes{');
  });

  it('lag in seconds: how long ago the log end was at the committed offset, interpolated', () => {
    const c = new LagClock();
    c.observe('t/0', 0, 0);
    c.observe('t/0', 10_000, 100);
    c.observe('t/0', 20_000, 200);
    expect(c.lagSeconds('t/0', 200, 25_000)).toBe(0);
    expect(c.lagSeconds('t/0', 150, 25_000)).toBeCloseTo(10);
    expect(c.lagSeconds('t/0', 50, 20_000)).toBeCloseTo(15);
    expect(c.lagSeconds('unknown', 5, 1000)).toBe(0);
  });
});

describe('rule files, configuration and the webhook', () => {
  it('reads the shipped rule file: alerts, expr, for:, labels, the line of each', () => {
    const read = readRuleFileText(readFileSync(shippedRules, 'utf8'), shippedRules);
    expect(read.problems).toEqual([]);
    const lag = read.alerts.find((a) => a.name === 'AgentConsumerLagHigh')!;
    expect(lag).toMatchObject({ forMs: 2000, labels: { severity: 'page' } });
    expect(lag.expr).toContain('kafka_consumergroup_lag');
    expect(readFileSync(shippedRules, 'utf8').split('\n')[lag.line - 1]).toContain('- alert: AgentConsumerLagHigh');
  });

  it('says where a rule file goes wrong', () => {
    expect(readRuleFileText('groups: [\n', 'x.yml').problems[0]!.message).toMatch(/YAML syntax/);
    expect(readRuleFileText('rules: []\n', 'x.yml').problems[0]!.message).toMatch(/no `groups:`/);
    expect(readRuleFileText('groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    for: soon\n', 'x.yml').problems[0]).toMatchObject({ line: 4, message: expect.stringMatching(/not a duration/) as string });
    expect(parsePromDuration('1h30m')).toBe(5_400_000);
    expect(parsePromDuration('500ms')).toBe(500);
    expect(parsePromDuration('5 min')).toBeUndefined();
  });

  it('renders configs Prometheus and Alertmanager read: the team intervals, the harness as scrape target and as webhook', () => {
    const p = parse(renderPrometheusConfig({ scrapeIntervalMs: 250, evaluationIntervalMs: 5000, ruleFiles: ['/r.yml'], alertmanager: '127.0.0.1:2', harness: '127.0.0.1:3', agentTargets: true })) as Record<string, any>;
    expect(p.global).toEqual({ scrape_interval: '250ms', scrape_timeout: '250ms', evaluation_interval: '5s' });
    expect(p.rule_files).toEqual(['/r.yml']);
    expect(p.scrape_configs[1].http_sd_configs[0].url).toBe('http://127.0.0.1:3/sd/agents');
    const a = parse(renderAlertmanagerConfig({ groupWaitMs: 30_000, groupIntervalMs: 300_000, webhookUrl: 'http://127.0.0.1:3/alertmanager' })) as Record<string, any>;
    expect(a.route).toMatchObject({ group_wait: '30s', group_interval: '5m', receiver: 'agentdrill' });
    expect(a.receivers[0].webhook_configs[0].url).toBe('http://127.0.0.1:3/alertmanager');
  });

  it('takes Alertmanager notifications apart, refuses what is not one; lists agent endpoints for http_sd', () => {
    const n = parseNotification(JSON.stringify({ receiver: 'agentdrill', status: 'firing', groupKey: 'k', alerts: [{ status: 'firing', labels: { alertname: 'A', n: 1 }, annotations: { s: 'x' } }] }));
    expect(n?.alerts[0]).toEqual({ status: 'firing', labels: { alertname: 'A' }, annotations: { s: 'x' } });
    expect(parseNotification('not json')).toBeUndefined();
    expect(parseNotification('{"alerts": 3}')).toBeUndefined();
    expect(sdGroups([{ agent: 'scorer', instance: 'scorer-1', url: 'http://127.0.0.1:9100/custom' }, { agent: 'x', instance: 'x-1', url: '::bad' }])).toEqual([
      { targets: ['127.0.0.1:9100'], labels: { __metrics_path__: '/custom', __scheme__: 'http', agent: 'scorer', pod: 'scorer-1' } },
    ]);
    expect(candidateNames('sum by (consumergroup) (kafka_consumergroup_lag{consumergroup="inventory_lag"}) > 150')).toEqual(['sum', 'by', 'consumergroup', 'kafka_consumergroup_lag']);
  });

  it('a missing Prometheus, promtool or Alertmanager is TOOL_MISSING (exit 4) with the apt line', () => {
    let error: unknown;
    try {
      requirePrometheusTools({ PATH: '/nonexistent' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AgentdrillError);
    expect((error as AgentdrillError).code).toBe('TOOL_MISSING');
    expect((error as AgentdrillError).hint).toContain('apt-get install -y --no-install-recommends prometheus prometheus-alertmanager');
    expect(exitCodeForError('TOOL_MISSING')).toBe(4);
  });
});

/** The fixture drill, detected by a Prometheus rule: its stages at these offsets after injection. */
function pagedJournal(stages: { threshold?: number; pending?: number; firing?: number; notified?: number }, forMs = 2000): JournalEvent[] {
  const events = buildJournal({ detectAfterMs: null });
  const started = events.find((e) => e.type === 'drill.started')!;
  (started.payload as Record<string, unknown>).detection = {
    kind: 'prometheus', alert: 'AgentConsumerLagHigh', expr: 'sum(kafka_consumergroup_lag) > 150', forMs, labels: { severity: 'page' }, annotations: {},
    ruleFiles: [{ file: shippedRules, checksum: 'sha256:0' }], scrapeIntervalMs: 1000, evaluationIntervalMs: 1000, groupWaitMs: 1000, groupIntervalMs: 5000,
  };
  const t0 = events.find((e) => e.type === 'fault.injected')!.at;
  const labels = { alertname: 'AgentConsumerLagHigh', severity: 'page' };
  const add = (type: string, offset: number | undefined, payload: unknown) => offset !== undefined && events.push({ type, at: t0 + offset, payload });
  add('alert.threshold', stages.threshold, { alert: 'AgentConsumerLagHigh', expr: 'x', value: 160 });
  add('alert.pending', stages.pending, { alert: 'AgentConsumerLagHigh', labels, value: 160 });
  add('alert.firing', stages.firing, { rule: 'AgentConsumerLagHigh', value: 200, source: 'prometheus', labels });
  add('alert.notified', stages.notified, { alert: 'AgentConsumerLagHigh', status: 'firing', receiver: 'agentdrill', labels, annotations: { summary: 'lag' } });
  const start = t0 - 4000;
  const lag = (k: number) => (k < 4 ? 0 : 100 * (k - 3));
  events.push({
    type: 'prometheus.series',
    at: t0 + 30_000,
    payload: { alert: 'AgentConsumerLagHigh', scrapeIntervalMs: 1000, series: [{ labels: { __name__: 'kafka_consumergroup_lag', consumergroup: 'inventory', job: 'agentdrill' }, samples: Array.from({ length: 30 }, (_, k) => [start + k * 1000 + 37, lag(k)]) }] },
  });
  return events;
}

describe('scoring a paged drill', () => {
  it('TTD is injection → notification, not the firing', () => {
    const score = scoreDrill(pagedJournal({ threshold: 2000, pending: 2500, firing: 4500, notified: 6000 }));
    expect(score.ttdMs).toBe(6000);
    expect(score.detectLowerBoundMs).toBe(3000);
  });

  it('a page that never came fails on detection, naming the alert and each stage', () => {
    const score = scoreDrill(pagedJournal({ threshold: 2000, pending: 2500 }, 600_000));
    expect(score.verdict).toBe('failed');
    const reason = score.reasons.find((r) => r.startsWith('detect:'))!;
    expect(reason).toContain('AgentConsumerLagHigh: over threshold +2s, pending +2.5s, firing never (for: 600s');
    expect(reason).toContain('notified never (group_wait 1s)');
  });
});

describe('reports of a paged drill', () => {
  it('rows in time order (the threshold is journaled after the drill), the chart marks the page', () => {
    const events = pagedJournal({ threshold: 2000, pending: 2500, firing: 4500, notified: 6000 });
    const t0 = events.find((e) => e.type === 'fault.injected')!.at;
    const stages = ['alert.threshold', 'alert.pending', 'alert.firing', 'alert.notified'];
    const rows = eventRows(events, t0).filter((r) => stages.includes(r.type));
    expect(rows.map((r) => r.type)).toEqual(stages);
    expect(rows[3]!.detail).toBe('AgentConsumerLagHigh paged through Alertmanager (receiver agentdrill): lag');
    const page = timelineMarkers(events, t0).find((m) => m.kind === 'alert')!;
    expect(page).toMatchObject({ x: 6000, label: 'page' });
  });
});

describe('export promtool', () => {
  it('lays samples on the scrape grid: gaps as _, a series no longer served as stale', () => {
    expect(values([[1000, 1], [2040, 2], [4000, 4]], 1000, 1000, 8)).toBe('1 2 _ 4 stale');
    expect(values([[1000, 1], [2000, NaN]], 1000, 1000, 2)).toBe('1 _');
    expect(seriesText({ __name__: 'm', b: 'x"y', a: '1' })).toBe('m{a="1",b="x\\"y"}');
  });

  it('asserts no alert at injection and the alert with its labels and annotations once it fired', () => {
    const events = pagedJournal({ threshold: 2000, pending: 2500, firing: 4500, notified: 6000 });
    const test = promtoolTestFromJournal(events, path.join(root, 'monitoring', 'tests', 'backlog.test.yml'), 'journal.json');
    const doc = parse(test.text) as { rule_files: string[]; tests: { interval: string; alert_rule_test: { eval_time: string; exp_alerts: unknown[] }[]; input_series: { values: string }[] }[] };
    expect(doc.rule_files).toEqual(['../order-pipeline.rules.yml']);
    expect(doc.tests[0]!.interval).toBe('1s');
    expect(doc.tests[0]!.input_series[0]!.values.split(' ').slice(0, 6)).toEqual(['0', '0', '0', '0', '100', '200']);
    const [atInjection, afterFiring] = doc.tests[0]!.alert_rule_test;
    // Injection 3.963 s after the first scrape: the evaluation before it.
    expect(atInjection).toMatchObject({ eval_time: '3s', exp_alerts: [] });
    expect(afterFiring!.eval_time).toBe(`${test.firingMs / 1000}s`);
    expect(afterFiring!.exp_alerts).toEqual([{ exp_labels: { severity: 'page' }, exp_annotations: { summary: 'lag' } }]);
  });

  it('refuses a journal that has nothing to replay, as JOURNAL_INVALID (exit 2)', () => {
    expect(() => promtoolTestFromJournal(buildJournal(), 'x.yml', 'journal.json')).toThrow(/not detected by a Prometheus rule/);
    expect(() => promtoolTestFromJournal(pagedJournal({ pending: 2500 }), 'x.yml', 'journal.json')).toThrow(/never fired/);
    expect(exitCodeForError('JOURNAL_INVALID')).toBe(2);
  });
});

describe('the alert watch', () => {
  const clock = { now: () => 100_000, sleep: () => Promise.resolve() };
  const alert = (state: string, activeAt: number) => ({ labels: { alertname: 'A', g: 'x' }, annotations: {}, state, activeAt: new Date(activeAt).toISOString(), value: '7' });

  it('reports each change once; pending at Prometheus\' activeAt, firing at the evaluation that fired it', async () => {
    const answers = [[alert('pending', 91_000)], [alert('pending', 91_000)], [alert('firing', 91_000)], []];
    const seen: AlertTransition[] = [];
    const api = { alerts: () => Promise.resolve(answers.shift() ?? []) } as unknown as PrometheusApi;
    const watch = new AlertWatch({ api, alert: 'A', clock, intervalMs: 250, forMs: 2000, evaluationIntervalMs: 1500, onChange: (t) => seen.push(t) });
    for (let i = 0; i < 4; i++) await watch.sync();
    expect(seen.map((t) => [t.state, t.at])).toEqual([['pending', 91_000], ['firing', 94_000], ['inactive', 100_000]]);
    expect(seen[0]).toMatchObject({ labels: { g: 'x' }, value: 7 });
  });

  it('a poll that finds it firing already journals the pending it went through first', async () => {
    const seen: AlertTransition[] = [];
    const api = { alerts: () => Promise.resolve([alert('firing', 95_000)]) } as unknown as PrometheusApi;
    await new AlertWatch({ api, alert: 'A', clock, intervalMs: 250, forMs: 1000, evaluationIntervalMs: 1000, onChange: (t) => seen.push(t) }).sync();
    expect(seen.map((t) => [t.state, t.at])).toEqual([['pending', 95_000], ['firing', 96_000]]);
  });

  it('a failing poll changes nothing', async () => {
    const seen: AlertTransition[] = [];
    const api = { alerts: () => Promise.reject(new Error('down')) } as unknown as PrometheusApi;
    await new AlertWatch({ api, alert: 'A', clock, intervalMs: 250, forMs: 0, evaluationIntervalMs: 1000, onChange: (t) => seen.push(t) }).sync();
    expect(seen).toEqual([]);
  });
});
