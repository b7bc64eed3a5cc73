import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { eventsOfType, type JournalFile } from '../../src/core/journal.ts';
import { processesWithMarker, repoRoot, runCli, startCli, waitFor } from '../helpers/cli.ts';
import { drillViaCli } from '../helpers/drill.ts';
import { scenarioVariant } from '../helpers/scenario-variant.ts';

type Events = JournalFile['events'];
const rulesFile = path.join(repoRoot, 'monitoring', 'order-pipeline.rules.yml');

/**
 * The team's own rule file in a real Prometheus, its page through a real Alertmanager. Intervals
 * are short so each drill stays about a minute; what is asserted is the order of the stages and
 * what the page started, never how fast this machine got there.
 */
function prometheusVariant(name: string, alert: string, rules = rulesFile, edits: Record<string, unknown> = {}): string {
  return scenarioVariant(name, {
    ...edits,
    detection: { prometheus: { rules: [rules], alert, scrapeInterval: '1s', evaluationInterval: '1s', groupWait: '1s', groupInterval: '5s' } },
  });
}

/** The shipped rule file with one edit, in a temp folder. */
function rulesWith(edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-rules-'));
  const file = path.join(dir, 'order-pipeline.rules.yml');
  writeFileSync(file, edit(readFileSync(rulesFile, 'utf8')));
  return file;
}

function stages(events: Events, alert: string) {
  const t0 = eventsOfType(events, 'fault.injected')[0]!.at;
  const first = (list: Events) => list.find((e) => e.at >= t0)?.at;
  return {
    t0,
    threshold: first(eventsOfType(events, 'alert.threshold').filter((e) => e.payload.alert === alert)),
    pending: first(eventsOfType(events, 'alert.pending').filter((e) => e.payload.alert === alert)),
    firing: first(eventsOfType(events, 'alert.firing').filter((e) => e.payload.source === 'prometheus' && e.payload.rule === alert)),
    notified: first(eventsOfType(events, 'alert.notified').filter((e) => e.payload.alert === alert && e.payload.status === 'firing')),
  };
}

function promtool(testFile: string) {
  const r = spawnSync('promtool', ['test', 'rules', path.basename(testFile)], { cwd: path.dirname(testFile), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('detection by the team\'s Prometheus rule, paged through Alertmanager (real Kafka, Prometheus, Alertmanager)', () => {
  let backlog: Awaited<ReturnType<typeof drillViaCli>>;
  beforeAll(async () => {
    backlog = await drillViaCli(prometheusVariant('downstream-backlog', 'AgentConsumerLagHigh'));
  });

  it('downstream backlog: kafka_consumergroup_lag crosses, pending, firing, the webhook page starts the runbook; TTD is injection → page', () => {
    const { result, events } = backlog;
    expect(backlog.code, backlog.stderr).toBe(0);
    expect(result.verdict).toBe('passed');
    const s = stages(events, 'AgentConsumerLagHigh');
    expect(s.threshold, backlog.stderr).toBeDefined();
    expect(s.pending).toBeDefined();
    expect(s.firing).toBeDefined();
    expect(s.notified).toBeDefined();
    // Threshold → pending → firing → page, in that order (pending carries Prometheus' activeAt,
    // an evaluation after the crossing sample).
    expect(s.threshold!).toBeLessThanOrEqual(s.pending!);
    expect(s.pending!).toBeLessThanOrEqual(s.firing!);
    expect(s.firing!).toBeLessThanOrEqual(s.notified!);
    expect(result.ttdMs).toBe(s.notified! - s.t0);
    // The page started the runbook: no step ran before it, and the built-in rule paged nothing.
    const firstStep = eventsOfType(events, 'step.started')[0]!;
    expect(firstStep.at).toBeGreaterThanOrEqual(s.notified!);
    expect(eventsOfType(events, 'alert.firing').filter((e) => e.payload.source !== 'prometheus')).toEqual([]);
    // The responder's page is Alertmanager's notification, as its receiver got it.
    expect(eventsOfType(events, 'responder.paged')[0]!.payload.alert).toMatch(/^AgentConsumerLagHigh\{.*\} from Alertmanager \(receiver /);
    const started = eventsOfType(events, 'drill.started')[0]!.payload;
    expect(started.detection).toMatchObject({ kind: 'prometheus', alert: 'AgentConsumerLagHigh', forMs: 2000, scrapeIntervalMs: 1000, groupWaitMs: 1000 });
    expect(started.versions.prometheus).toMatch(/^2\./);
    expect(processesWithMarker(backlog.marker)).toEqual([]);
  });

  it('the exported promtool test passes under the real promtool, and fails once the threshold is above what the drill saw', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-promtool-'));
    const testFile = path.join(dir, 'backlog.test.yml');
    const exported = await runCli(['export', 'promtool', backlog.result.journal!, '--out', testFile]);
    expect(exported.code, exported.stderr).toBe(0);
    const passing = promtool(testFile);
    expect(passing.code, passing.output).toBe(0);

    // The same test against the rule with its threshold raised past the drill's highest lag.
    const series = eventsOfType(backlog.events, 'prometheus.series')[0]!.payload.series;
    const maxLag = Math.max(...series.filter((s) => s.labels.consumergroup === 'inventory').flatMap((s) => s.samples.map(([, v]) => v)));
    const raised = rulesWith((t) => t.replace('kafka_consumergroup_lag{consumergroup="inventory"}) > 150', `kafka_consumergroup_lag{consumergroup="inventory"}) > ${Math.ceil(maxLag * 6 + 1000)}`));
    const doc = parseDocument(readFileSync(testFile, 'utf8'));
    doc.set('rule_files', [raised]);
    const raisedTest = path.join(dir, 'raised.test.yml');
    writeFileSync(raisedTest, doc.toString());
    const failing = promtool(raisedTest);
    expect(failing.code, failing.output).not.toBe(0);
    expect(failing.output).toMatch(/AgentConsumerLagHigh/);
  });

  it('negative control: the same rule with for: 10m misses the detect target; the drill fails on detection naming the alert and where the time went', async () => {
    const slow = rulesWith((t) => t.replace('for: 2s', 'for: 10m'));
    // Never paged, the runbook never runs: a short recovery target ends the drill soon after.
    const run = await drillViaCli(prometheusVariant('downstream-backlog', 'AgentConsumerLagHigh', slow, { 'targets.recoverWithin': '15s' }));
    expect(run.code, run.stderr).toBe(1);
    expect(run.result.verdict).toBe('failed');
    const detect = run.result.reasons.find((r) => r.startsWith('detect:'));
    expect(detect, run.result.reasons.join('\n')).toBeDefined();
    expect(detect).toMatch(/AgentConsumerLagHigh/);
    expect(detect).toMatch(/pending \+\d/);
    expect(detect).toMatch(/firing never \(for: 600s/);
    expect(detect).toMatch(/notified never/);
    const s = stages(run.events, 'AgentConsumerLagHigh');
    expect(s.pending).toBeDefined();
    expect(s.notified).toBeUndefined();
    expect(eventsOfType(run.events, 'step.started')).toEqual([]);
    expect(processesWithMarker(run.marker)).toEqual([]);
  });

  it('memory growth: paged by a rule on container_memory_working_set_bytes before any OOM', async () => {
    const run = await drillViaCli(prometheusVariant('memory-growth', 'AgentMemoryHigh'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.result.verdict).toBe('passed');
    const s = stages(run.events, 'AgentMemoryHigh');
    expect(s.firing).toBeDefined();
    expect(run.result.ttdMs).toBe(s.notified! - s.t0);
    expect(eventsOfType(run.events, 'observation').filter((o) => o.payload.kind === 'oom')).toEqual([]);
    const series = eventsOfType(run.events, 'prometheus.series')[0]!.payload.series;
    expect(series.some((x) => x.labels.__name__ === 'container_memory_working_set_bytes' && x.labels.container === 'fulfillment' && x.labels.pod === 'fulfillment-1')).toBe(true);
    expect(processesWithMarker(run.marker)).toEqual([]);
  });

  it('Ctrl-C with Prometheus and Alertmanager running: exit 130, neither left behind', async () => {
    const run = startCli(['run', prometheusVariant('downstream-backlog', 'AgentConsumerLagHigh'), '--out', mkdtempSync(path.join(os.tmpdir(), 'agentdrill-int-'))]);
    onTestFinished(() => {
      if (run.child.exitCode === null) run.child.kill('SIGINT');
    });
    expect(await waitFor(() => run.stderr().includes('phase: warmup'), 120_000), run.stderr()).toBe(true);
    const during = processesWithMarker(run.marker);
    expect(during.some((p) => p.args.includes('prometheus --config.file'))).toBe(true);
    expect(during.some((p) => p.args.includes('alertmanager --config.file'))).toBe(true);
    run.child.kill('SIGINT');
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(130);
    expect(processesWithMarker(run.marker)).toEqual([]);
  });
});
