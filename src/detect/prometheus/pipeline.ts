import path from 'node:path';
import type { Clock } from '../../core/clock.ts';
import type { PrometheusDetectionRecord } from '../../core/events.ts';
import type { Journal } from '../../core/journal.ts';
import type { Teardown } from '../../core/teardown.ts';
import type { Progress } from '../../infra/provider.ts';
import { AlertWatch } from './alert-watch.ts';
import { startHarnessEndpoints, type AgentTarget, type Notification } from './harness-endpoints.ts';
import { recordAlertSeries, recordThreshold } from './record.ts';
import { ConfiguredAlertmanager, ConfiguredPrometheus } from './servers.ts';
import { requirePrometheusTools } from './tools.ts';

export interface PrometheusPipelineOptions {
  detection: PrometheusDetectionRecord;
  exposition: () => Promise<{ body: string; contentType: string }>;
  agentTargets: () => AgentTarget[];
  journal: Journal;
  clock: Clock;
  workDir: string;
  teardown: Teardown;
  progress: Progress;
  signal: AbortSignal;
  /** The page: Alertmanager notified the harness that the alert fires. */
  onPage: (at: number) => void;
}

export interface RunningPipeline {
  versions: { prometheus: string; alertmanager: string };
  /** Journals the first sample over the threshold after `t0`, and the series the rule read. */
  collect(t0: number, endAt: number): Promise<void>;
}

/** How often the alert's state is asked: finer than any evaluation interval a team would use. */
const watchIntervalMs = 250;

/**
 * The team's monitoring for one drill, started in the order data flows backwards (the webhook
 * before Alertmanager, Alertmanager before Prometheus), each one's stop registered with the
 * drill's teardown as soon as it runs, so every exit path, Ctrl-C included, stops them.
 */
export async function startPrometheusPipeline(o: PrometheusPipelineOptions): Promise<RunningPipeline> {
  const { detection, journal, clock, teardown, progress } = o;
  const tools = requirePrometheusTools();
  // Set once the watch runs: a page makes it look at once (see AlertWatch.sync).
  let syncWatch: () => Promise<void> = () => Promise.resolve();
  let synced: Promise<void> = Promise.resolve();
  const endpoints = await startHarnessEndpoints({
    exposition: o.exposition,
    agentTargets: o.agentTargets,
    onNotification: (n) =>
      onNotification(n, detection.alert, journal, clock, progress, (at) => {
        synced = syncWatch();
        o.onPage(at);
      }),
  });
  teardown.add('harness endpoints', () => endpoints.close());
  const dir = path.join(o.workDir, 'monitoring');
  const alertmanager = await (
    await ConfiguredAlertmanager.configure({ bin: tools.alertmanager, dir: path.join(dir, 'alertmanager'), groupWaitMs: detection.groupWaitMs, groupIntervalMs: detection.groupIntervalMs, webhookUrl: `http://${endpoints.address}/alertmanager` })
  ).start(o.signal);
  teardown.add('alertmanager', () => alertmanager.stop());
  const prometheus = await (
    await ConfiguredPrometheus.configure({
      bin: tools.prometheus,
      dir: path.join(dir, 'prometheus'),
      scrapeIntervalMs: detection.scrapeIntervalMs,
      evaluationIntervalMs: detection.evaluationIntervalMs,
      ruleFiles: detection.ruleFiles.map((r) => r.file),
      alertmanager: alertmanager.url.replace(/^http:\/\//, ''),
      harness: endpoints.address,
      agentTargets: o.agentTargets().length > 0,
    })
  ).start(o.signal);
  teardown.add('prometheus', () => prometheus.stop());
  const versions = { prometheus: await prometheus.api.version().catch(() => 'unknown'), alertmanager: await amVersion(alertmanager.url) };
  progress(`monitoring: Prometheus ${versions.prometheus} at ${prometheus.api.url} (scrape ${detection.scrapeIntervalMs} ms, evaluation ${detection.evaluationIntervalMs} ms), Alertmanager ${versions.alertmanager} at ${alertmanager.url} (group_wait ${detection.groupWaitMs} ms); paging alert ${detection.alert}`);
  const watch = new AlertWatch({
    api: prometheus.api,
    alert: detection.alert,
    clock,
    intervalMs: watchIntervalMs,
    forMs: detection.forMs,
    evaluationIntervalMs: detection.evaluationIntervalMs,
    onChange: (t) => {
      if (t.state === 'pending') journal.record('alert.pending', { alert: detection.alert, labels: t.labels, value: t.value }, t.at);
      else if (t.state === 'firing') journal.record('alert.firing', { rule: detection.alert, value: t.value ?? undefined, source: 'prometheus', labels: t.labels }, t.at);
      else journal.record('alert.resolved', { rule: detection.alert, source: 'prometheus' }, t.at);
    },
  });
  watch.start();
  syncWatch = () => watch.sync();
  teardown.add('alert watch', () => watch.stop());
  return {
    versions,
    async collect(t0, endAt) {
      await synced;
      await recordThreshold({ api: prometheus.api, detection, journal, t0, endAt }).catch((e: unknown) => progress(`monitoring: could not read when the threshold was crossed: ${String(e)}`));
      await recordAlertSeries({ api: prometheus.api, detection, journal, fromMs: t0 - 5 * 60_000, endAt }).catch((e: unknown) => progress(`monitoring: could not read the rule's series: ${String(e)}`));
    },
  };
}

function onNotification(n: Notification, alert: string, journal: Journal, clock: Clock, progress: Progress, onPage: (at: number) => void): void {
  const mine = n.alerts.filter((a) => a.labels.alertname === alert);
  if (mine.length === 0) return;
  const at = clock.now();
  const firing = mine.find((a) => a.status === 'firing');
  const shown = firing ?? mine[0]!;
  journal.record('alert.notified', { alert, status: firing ? 'firing' : shown.status, receiver: n.receiver, labels: shown.labels, annotations: shown.annotations }, at);
  if (!firing) return;
  progress(`paged: Alertmanager notified ${alert} (${mine.length} alert${mine.length === 1 ? '' : 's'} in the group)`);
  onPage(at);
}

async function amVersion(url: string): Promise<string> {
  try {
    const r = await fetch(`${url}/api/v2/status`, { signal: AbortSignal.timeout(3000) });
    const body = (await r.json()) as { versionInfo?: { version?: string } };
    return body.versionInfo?.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
