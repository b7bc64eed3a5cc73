import { stringify } from 'yaml';
import { formatExactDuration } from '../../core/duration.ts';

/**
 * The two configuration files of one drill's monitoring, written as a team would write them:
 * Prometheus scrapes the harness's /metrics (the drill's samples under exporter names) and the
 * team's agents' own endpoints, evaluates the team's rule files, and sends to Alertmanager, whose
 * one route ends in the harness's webhook: that notification is the page.
 */
export interface PrometheusConfigInput {
  scrapeIntervalMs: number;
  evaluationIntervalMs: number;
  ruleFiles: readonly string[];
  alertmanager: string;
  /** host:port of the harness's endpoints (/metrics, and /sd/agents for the agents' targets). */
  harness: string;
  /** Whether any agent serves its own /metrics (then Prometheus asks the harness where they are). */
  agentTargets: boolean;
}

const d = (ms: number) => formatExactDuration(ms);

export function renderPrometheusConfig(c: PrometheusConfigInput): string {
  // Prometheus refuses a scrape timeout longer than the interval.
  const timeout = Math.min(c.scrapeIntervalMs, 10_000);
  const scrapeConfigs: object[] = [
    // honor_labels: the exporter's own labels are the data (its `pod`, `container`), as with a
    // federation or Pushgateway job.
    { job_name: 'agentdrill', honor_labels: true, static_configs: [{ targets: [c.harness] }] },
  ];
  if (c.agentTargets) {
    // Instances come and go (scale-out, restarts): the harness lists the running ones.
    scrapeConfigs.push({ job_name: 'agents', http_sd_configs: [{ url: `http://${c.harness}/sd/agents`, refresh_interval: d(Math.max(c.scrapeIntervalMs, 1000)) }] });
  }
  return stringify({
    global: { scrape_interval: d(c.scrapeIntervalMs), scrape_timeout: d(timeout), evaluation_interval: d(c.evaluationIntervalMs) },
    rule_files: [...c.ruleFiles],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [c.alertmanager] }] }] },
    scrape_configs: scrapeConfigs,
  });
}

export interface AlertmanagerConfigInput {
  groupWaitMs: number;
  groupIntervalMs: number;
  webhookUrl: string;
}

export function renderAlertmanagerConfig(c: AlertmanagerConfigInput): string {
  return stringify({
    route: {
      receiver: 'agentdrill',
      group_by: ['alertname'],
      group_wait: d(c.groupWaitMs),
      group_interval: d(c.groupIntervalMs),
      // A drill is over long before a page would be repeated.
      repeat_interval: '4h',
    },
    receivers: [{ name: 'agentdrill', webhook_configs: [{ url: c.webhookUrl, send_resolved: true }] }],
  });
}
