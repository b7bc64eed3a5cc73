import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventPayloads } from '../../src/core/events.ts';
import type { JsonResult } from '../../src/report/index.ts';
import { eventsOfType, type JournalFile } from '../../src/core/journal.ts';
import { processesWithMarker, runCli } from '../helpers/cli.ts';
import { drillViaCli } from '../helpers/drill.ts';
import { runbookWithoutPhase, scenarioVariant } from '../helpers/scenario-variant.ts';



const inventorySamples = (events: JournalFile['events']) =>
  eventsOfType(events, 'sample').map((e) => ({ at: e.at, ...(e.payload as EventPayloads['sample']).groups.inventory! }));

async function suite(scenarios: string[]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-suite-'));
  scenarios.forEach((file, i) => copyFileSync(file, path.join(dir, `${i}-${path.basename(file)}`)));
  const out = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-out-'));
  const junit = path.join(out, 'junit.xml');
  const run = await runCli(['run', dir, '--json', '--out', out, '--junit', junit]);
  const results = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '[]') as JsonResult[];
  const journals = results.map((r) => (JSON.parse(readFileSync(r.journal!, 'utf8')) as JournalFile).events);
  return { ...run, results, journals, out, junit };
}

describe('downstream backlog drill (real Kafka, Toxiproxy, fleet)', () => {
  // One suite run covers the real drill and its zero-latency control, and the suite mechanics.
  let suiteRun: Awaited<ReturnType<typeof suite>>;
  beforeAll(async () => {
    const zeroLatency = scenarioVariant('downstream-backlog', { 'fault.latency': '0ms', 'targets.recoverWithin': '20s' });
    suiteRun = await suite([scenarioVariant('downstream-backlog', {}), zeroLatency]);
  });

  it('runs a folder as a suite: one result per scenario, the worst verdict sets the exit code', () => {
    expect(suiteRun.results.map((r) => r.verdict), suiteRun.stderr).toEqual(['passed', 'inconclusive']);
    expect(suiteRun.code).toBe(3);
    expect(processesWithMarker(suiteRun.marker)).toEqual([]);
    // CI reads the JUnit file; SREs open the suite index.
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(suiteRun.junit, 'utf8')) as {
      testsuites: { testsuite: { testcase: { '@_name': string; skipped?: unknown; failure?: unknown }[] } };
    };
    const cases = xml.testsuites.testsuite.testcase;
    expect(cases.map((c) => c['@_name'])).toEqual(['downstream-backlog', 'downstream-backlog']);
    expect(cases[0]!.failure).toBeUndefined();
    expect(cases[1]!.skipped).toBeDefined();
    expect(existsSync(path.join(suiteRun.out, 'index.html'))).toBe(true);
    expect(readFileSync(path.join(suiteRun.out, 'history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('detects the slow API, scales out through the runbook, recovers within target and loses nothing', () => {
    const result = suiteRun.results[0]!;
    const events = suiteRun.journals[0]!;
    expect(result.verdict).toBe('passed');

    const t0 = eventsOfType(events, 'fault.injected')[0]!.at;
    const samples = inventorySamples(events);
    const before = samples.filter((s) => s.at < t0 && s.at > t0 - 5000);
    const firedAt = eventsOfType(events, 'alert.firing')[0]!.at;
    const atAlert = samples.filter((s) => s.at > t0 && s.at <= firedAt);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // The fault's visible effect: inventory throughput collapsed after injection.
    expect(mean(atAlert.slice(-4).map((s) => s.throughput))).toBeLessThan(0.7 * mean(before.map((s) => s.throughput)));

    // The scale-out step ran and the broker saw more members in the inventory group.
    const scaleOut = eventsOfType(events, 'step.finished').find((s) => s.payload.name === 'scale-out');
    expect(scaleOut?.payload.exitCode).toBe(0);
    expect(Math.max(...before.map((s) => s.members ?? 0))).toBe(1);
    const after = samples.filter((s) => s.at > scaleOut!.payload.endedAt);
    expect(Math.max(...after.map((s) => s.members ?? 0))).toBeGreaterThanOrEqual(3);

    expect(eventsOfType(events, 'recovered')).toHaveLength(1);
    expect(result.ttdMs).toBeGreaterThan(0);
    expect(result.ttdMs!).toBeLessThanOrEqual(result.targets.detectMs);
    expect(result.ttrMs!).toBeLessThanOrEqual(result.targets.recoverMs);
    expect(result.integrity!.lost).toBe(0);
    expect(result.integrity!.produced).toBeGreaterThan(1000);
    expect(result.integrity!.processed).toBe(result.integrity!.produced);
  });

  it('is inconclusive, never passed, when the fault adds no latency (control)', () => {
    const result = suiteRun.results[1]!;
    expect(result.verdict).toBe('inconclusive');
    expect(result.reasons.join(' ')).toMatch(/never moved the fleet/);
    expect(eventsOfType(suiteRun.journals[1]!, 'alert.firing')).toHaveLength(0);
  });

  it('fails, naming the recovery target, when the runbook has no response steps (negative control)', async () => {
    const scenario = scenarioVariant('downstream-backlog', { 'targets.recoverWithin': '40s' }, runbookWithoutPhase('Respond'));
    const run = await drillViaCli(scenario);
    expect(run.code, run.stderr).toBe(1);
    expect(run.result.verdict).toBe('failed');
    expect(run.result.reasons.some((r) => r.startsWith('recover:'))).toBe(true);
    expect(run.result.ttdMs).not.toBeNull();
    expect(eventsOfType(run.events, 'step.finished').map((s) => s.payload.name)).not.toContain('scale-out');
    expect(run.result.integrity!.lost).toBe(0);
    expect(processesWithMarker(run.marker)).toEqual([]);
  });
});
