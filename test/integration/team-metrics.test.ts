import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { parseRule, watchedSeries, type Rule } from '../../src/detect/index.ts';
import { RuleTracker, type RuleTransition } from '../../src/detect/rule-tracker.ts';
import { validateFleetText } from '../../src/fleet/definition/load.ts';
import { startTeamFleet, type TeamFleet } from '../../src/fleet/team/team-fleet.ts';
import { localProvider } from '../../src/infra/local/index.ts';
import type { StartedInfra } from '../../src/infra/provider.ts';
import type { Sample } from '../../src/observe/sample.ts';
import { Sampler } from '../../src/observe/sampler.ts';
import { until } from '../helpers/wait.ts';

/**
 * A fleet file's agents read through their `metrics:` endpoints, on a real broker, by the real
 * sampler, over real HTTP: the endpoint is a small server in this test whose pages it changes
 * (counters that grow, one that resets, a slow answer, a malformed page), so each case is exact.
 * The agents themselves are plain processes; their URL carries their own `${instance.port}`.
 */
const runTag = `tm-${process.pid}-${Date.now().toString(36)}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-team-metrics-'));
const errorsRule = rule('metric(agent=worker, name=probe_errors_total, code="500") > 20/s for 1s');
const invalidRule = rule('metric(agent=worker, name=probe_invalid_total) == 6');
const invalidKey = 'metric.worker.probe_invalid_total';
const errorsRate = 'metric-rate.worker.probe_errors_total{code="500"}';

interface Page {
  errors: number;
  delayMs: number;
  broken: boolean;
  /** The `${instance.port}` the URL was filled with. */
  port?: string;
}
const pages = new Map<string, Page>();
let server: http.Server;
let infra: StartedInfra | undefined;
let admin: Admin | undefined;
let fleet: TeamFleet | undefined;
let sampler: Sampler | undefined;
const samples: { at: number; sample: Sample }[] = [];
const transitions: RuleTransition[] = [];
const progress: string[] = [];

function rule(text: string): Rule {
  const parsed = parseRule(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.rule;
}

function pageOf(id: string): Page {
  let page = pages.get(id);
  // A long-running counter: a restart's fall dwarfs the growth a rate window sees.
  if (!page) pages.set(id, (page = { errors: 100_000, delayMs: 0, broken: false }));
  return page;
}

function render(page: Page): string {
  return [
    '# HELP probe_errors_total Requests that failed.',
    '# TYPE probe_errors_total counter',
    `probe_errors_total{code="500"} ${page.errors}`,
    'probe_errors_total{code="200"} 1000',
    '# TYPE probe_invalid_total counter',
    'probe_invalid_total 3',
    ...(page.broken ? ['probe_invalid_total{ 4'] : []),
    '',
  ].join('\n');
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const page = pageOf(url.pathname.split('/').pop()!);
    page.port = url.searchParams.get('port') ?? undefined;
    const text = render(page);
    if (page.delayMs > 0) setTimeout(() => res.end(text), page.delayMs);
    else res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const fleetFile = path.join(work, 'fleet.yaml');
  const sleeper = '[node, -e, "setTimeout(() => {}, 600000)"]';
  fs.writeFileSync(
    fleetFile,
    `name: metrics-probe
topics: { events: { partitions: 1, name: probe.events } }
agents:
  worker:
    command: { argv: ${sleeper} }
    replicas: 2
    metrics: { url: "http://127.0.0.1:${port}/metrics/\${instance.id}?port=\${instance.port}" }
  quiet:
    command: { argv: ${sleeper} }
load: { topic: events, rate: 5/s, value: { template: "{}" } }
`,
  );
  const { fleet: definition } = validateFleetText(fs.readFileSync(fleetFile, 'utf8'), fleetFile);
  infra = await localProvider.start({ settings: settingsFromEnv(), progress: () => undefined, workDir: path.join(work, 'infra') });
  const kafka = new Kafka({ clientId: runTag, brokers: infra.kafka.bootstrapServers, logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  fleet = await startTeamFleet({
    definition,
    prefix: `${runTag}-`,
    replicas: {},
    ratePerSec: 5,
    runTag,
    kafka,
    bootstrap: infra.kafka.bootstrapServers.join(','),
    admin,
    workDir: path.join(work, 'fleet'),
    proxy: () => Promise.reject(new Error('this fleet has no dependencies')),
    watched: watchedSeries([errorsRule, invalidRule]),
    clock: systemClock,
    progress: (m) => progress.push(m),
  });
  const tracker = new RuleTracker(errorsRule);
  sampler = new Sampler({
    admin,
    fleet,
    clock: systemClock,
    intervalMs: 250,
    onSample: (at, sample) => {
      samples.push({ at, sample });
      const t = tracker.feed(at, sample).transition;
      if (t) transitions.push(t);
    },
  });
  sampler.start();
}, 240_000);

afterAll(async () => {
  await sampler?.stop();
  await fleet?.stop();
  await admin?.disconnect();
  await infra?.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(work, { recursive: true, force: true });
});

const latest = () => samples.at(-1)?.sample;

describe('a fleet file’s /metrics in samples and rules', () => {
  it('sums a counter over the running instances, fires a rate rule, rides out a reset, keeps a slow endpoint’s values', async () => {
    // Read from each running worker at the port its own command was given; `quiet` declares no endpoint.
    const fresh = await until('both workers read', () => {
      const s = latest();
      return s?.counters[invalidKey] === 6 && !s.stale && s;
    }, 30_000);
    expect(fresh.counters[errorsRate]).toBe(0);
    for (const i of fleet!.instances().filter((x) => x.agent === 'worker')) expect(pageOf(i.id).port).toBe(new URL(i.adminUrl).port);
    expect([...pages.keys()].sort()).toEqual(['worker-1', 'worker-2']);
    expect(transitions).toEqual([]);

    // 50 errors/s from each worker: the rule on the summed rate fires once it held for 1 s.
    const grow = setInterval(() => {
      for (const id of ['worker-1', 'worker-2']) pageOf(id).errors += 5;
    }, 100);
    try {
      const firing = await until('the rate rule fired', () => transitions.find((t) => t.type === 'firing'), 20_000);
      expect(firing.type === 'firing' && firing.value).toBeGreaterThan(20);

      // worker-1's counter starts again from 0, as after a restart: the sum falls, the rate does not.
      const resetAt = Date.now();
      pageOf('worker-1').errors = 0;
      await sleep(2500);
      const after = samples.filter((s) => s.at > resetAt);
      expect(after.length).toBeGreaterThan(3);
      expect(transitions.filter((t) => t.type === 'resolved')).toEqual([]);
      expect(Math.min(...after.map((s) => s.sample.counters[errorsRate]!))).toBeGreaterThan(20);
    } finally {
      clearInterval(grow);
    }

    // Scaled in: only the running worker is summed.
    await fleet!.scale('worker', 1);
    await until('only worker-1 summed', () => latest()?.counters[invalidKey] === 3, 15_000);

    // A slow endpoint (past the 2 s a request may take): its last values kept and marked, the sampler keeping its pace.
    const said = (what: RegExp) => until(`progress: ${what}`, () => progress.some((m) => m.startsWith('metrics: worker-1') && what.test(m)), 15_000);
    pageOf('worker-1').delayMs = 3000;
    const slowFrom = Date.now();
    await said(/no answer in time; its last values are kept, marked stale$/);
    const slow = samples.filter((s) => s.at > slowFrom + 500);
    expect(slow.length).toBeGreaterThan(2);
    expect(slow.every((s) => s.sample.counters[invalidKey] === 3 && s.sample.stale?.includes(invalidKey))).toBe(true);
    const gaps = slow.slice(1).map((s, i) => s.at - slow[i]!.at);
    expect(Math.max(...gaps)).toBeLessThan(1500);

    // A malformed page is no answer either, said at its line; a good one clears the mark.
    pageOf('worker-1').delayMs = 0;
    pageOf('worker-1').broken = true;
    await said(/: line 7: .*; its last values are kept, marked stale$/);
    expect(latest()?.stale).toContain(invalidKey);
    expect(latest()?.counters[invalidKey]).toBe(3);
    pageOf('worker-1').broken = false;
    await until('fresh again', () => latest()?.stale === undefined, 10_000);
    await said(/^metrics: worker-1 answers again$/);

    // No negative rate in any sample of the drill.
    expect(samples.every((s) => Object.entries(s.sample.counters).every(([k, v]) => !k.startsWith('metric-rate.') || v >= 0))).toBe(true);
  }, 120_000);
});
