import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventPayloads } from '../../src/core/events.ts';
import { eventsOfType, type JournalFile } from '../../src/core/journal.ts';
import { processesWithMarker, runCli } from '../helpers/cli.ts';
import { runbookWithoutPhase, scenarioVariant } from '../helpers/scenario-variant.ts';

interface JsonResult {
  scenario: string;
  verdict: string;
  ttdMs: number | null;
  ttrMs: number | null;
  targets: { detectMs: number; recoverMs: number };
  integrity: { produced: number; processed: number; lost: number; duplicated: number } | null;
  reasons: string[];
  journal: string;
  report: string;
}

async function drill(scenario: string, extra: string[] = []) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-out-'));
  const run = await runCli(['run', scenario, '--json', '--out', out, ...extra]);
  const lastLine = run.stdout.trim().split('\n').at(-1) ?? '';
  const result = JSON.parse(lastLine) as JsonResult;
  const journal = JSON.parse(readFileSync(result.journal, 'utf8')) as JournalFile;
  return { ...run, result, events: journal.events };
}

const inventorySamples = (events: JournalFile['events']) =>
  eventsOfType(events, 'sample').map((e) => ({ at: e.at, ...(e.payload as EventPayloads['sample']).groups.inventory! }));

describe('downstream backlog drill (real Kafka, Toxiproxy, fleet)', () => {
  it('detects the slow API, scales out through the runbook, recovers within target and loses nothing', async () => {
    const run = await drill(path.resolve('scenarios/downstream-backlog.yaml'));
    expect(run.code, run.stderr).toBe(0);
    const { result, events } = run;
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
    expect(processesWithMarker(run.marker)).toEqual([]);
  });

  it('fails, naming the recovery target, when the runbook has no response steps (negative control)', async () => {
    const scenario = scenarioVariant('downstream-backlog', { 'targets.recoverWithin': '40s' }, runbookWithoutPhase('Respond'));
    const run = await drill(scenario);
    expect(run.code, run.stderr).toBe(1);
    expect(run.result.verdict).toBe('failed');
    expect(run.result.reasons.some((r) => r.startsWith('recover:'))).toBe(true);
    expect(run.result.ttdMs).not.toBeNull();
    expect(eventsOfType(run.events, 'step.finished').map((s) => s.payload.name)).not.toContain('scale-out');
    expect(run.result.integrity!.lost).toBe(0);
    expect(processesWithMarker(run.marker)).toEqual([]);
  });

  it('is inconclusive, never passed, when the fault adds no latency (control)', async () => {
    const scenario = scenarioVariant('downstream-backlog', { 'fault.latency': '0ms', 'targets.recoverWithin': '20s' });
    const run = await drill(scenario);
    expect(run.code, run.stderr).toBe(3);
    expect(run.result.verdict).toBe('inconclusive');
    expect(run.result.reasons.join(' ')).toMatch(/never moved the fleet/);
    expect(processesWithMarker(run.marker)).toEqual([]);
  });
});
