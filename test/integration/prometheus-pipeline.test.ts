import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import type { PrometheusDetectionRecord } from '../../src/core/events.ts';
import { Journal } from '../../src/core/journal.ts';
import { freePort } from '../../src/core/ports.ts';
import { Teardown } from '../../src/core/teardown.ts';
import { startPrometheusPipeline } from '../../src/detect/prometheus/pipeline.ts';
import { processAlive } from '../../src/infra/local/child-process.ts';
import { SampleExporter } from '../../src/observe/exporter.ts';

/**
 * The monitoring half alone, without Kafka: a real Prometheus scraping the harness's /metrics and
 * a team agent's own endpoint found over http_sd, the team's rule on the agent's counter, a real
 * Alertmanager paging the harness's webhook, and the teardown stopping both.
 */
describe('Prometheus + Alertmanager pipeline (real servers, loopback only)', () => {
  it('scrapes an agent\'s own /metrics as job agents with agent and pod, fires the team\'s rule, pages, records the series, stops both servers', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-pipeline-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const rules = path.join(dir, 'team.rules.yml');
    writeFileSync(rules, ['groups:', '  - name: team', '    rules:', '      - alert: ScorerErrors', '        expr: sum by (agent) (scorer_errors_total) > 5', '        for: 1s', '        labels: { severity: page }', ''].join('\n'));

    // The team's agent: a counter that starts climbing once `errors` is raised.
    let errors = 0;
    const agent = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`# TYPE scorer_errors_total counter\nscorer_errors_total ${errors}\n`));
    const agentPort = await freePort();
    await new Promise<void>((resolve) => agent.listen(agentPort, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => agent.close(() => resolve())));

    const journal = new Journal(systemClock);
    const teardown = new Teardown();
    onTestFinished(async () => void (await teardown.run()));
    const exporter = new SampleExporter('ad-x-');
    exporter.update(Date.now(), { groups: {}, agents: { 'scorer-1': { agent: 'scorer', rssBytes: 1000, up: true } }, counters: {} }, { groups: {}, instances: [{ id: 'scorer-1', agent: 'scorer', pid: 1, state: 'running', restarts: 0, adminUrl: '' }] });
    const detection: PrometheusDetectionRecord = {
      kind: 'prometheus', alert: 'ScorerErrors', expr: 'sum by (agent) (scorer_errors_total) > 5', forMs: 1000, labels: { severity: 'page' }, annotations: {},
      ruleFiles: [{ file: rules, checksum: 'sha256:test' }], scrapeIntervalMs: 500, evaluationIntervalMs: 500, groupWaitMs: 0, groupIntervalMs: 5000,
    };
    let paged: (at: number) => void = () => undefined;
    const page = new Promise<number>((resolve) => (paged = resolve));
    const pipeline = await startPrometheusPipeline({
      detection,
      exposition: () => exporter.exposition(),
      agentTargets: () => [{ agent: 'scorer', instance: 'scorer-1', url: `http://127.0.0.1:${agentPort}/metrics` }],
      journal,
      clock: systemClock,
      workDir: dir,
      teardown,
      progress: () => undefined,
      signal: new AbortController().signal,
      onPage: (at) => paged(at),
    });
    expect(pipeline.versions.prometheus).toMatch(/^2\./);

    const t0 = Date.now();
    errors = 50;
    const pagedAt = await Promise.race([page, new Promise<undefined>((r) => setTimeout(() => r(undefined), 120_000))]);
    expect(pagedAt, JSON.stringify(journal.events.map((e) => e.type))).toBeDefined();
    await pipeline.collect(t0, Date.now());

    const of = (type: string) => journal.events.filter((e) => e.type === type);
    expect(of('alert.pending')).toHaveLength(1);
    expect(of('alert.firing')[0]!.payload).toMatchObject({ rule: 'ScorerErrors', source: 'prometheus', labels: { agent: 'scorer', severity: 'page' } });
    expect(of('alert.notified')[0]!.payload).toMatchObject({ alert: 'ScorerErrors', status: 'firing', receiver: 'agentdrill' });
    const threshold = of('alert.threshold')[0]!;
    expect(threshold.at).toBeGreaterThanOrEqual(t0);
    expect(threshold.at).toBeLessThanOrEqual(of('alert.pending')[0]!.at);
    const series = (of('prometheus.series')[0]!.payload as { series: { labels: Record<string, string> }[] }).series;
    expect(series.map((s) => s.labels)).toContainEqual(expect.objectContaining({ __name__: 'scorer_errors_total', job: 'agents', agent: 'scorer', pod: 'scorer-1' }));

    // What the teardown stops: find both servers by their config flags, then run it.
    const running = serverPids(dir);
    expect(running).toHaveLength(2);
    await teardown.run();
    expect(running.filter((pid) => processAlive(pid))).toEqual([]);
  });
});

/** The Prometheus and Alertmanager processes whose config lives under `dir`. */
function serverPids(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = read(`/proc/${entry}/cmdline`).split('\0');
    const exe = args[0] ?? '';
    if (/(^|\/)(prometheus|prometheus-alertmanager|alertmanager)$/.test(exe) && args.some((a) => a.startsWith('--config.file=') && a.includes(dir))) found.push(Number(entry));
  }
  return found;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
