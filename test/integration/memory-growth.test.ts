import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsOfType, type JournalFile } from '../../src/core/journal.ts';
import { agentRssMb } from '../../src/faults/memory-figures.ts';
import { processesWithMarker } from '../helpers/cli.ts';
import { drillViaCli as drill } from '../helpers/drill.ts';
import { runbookWithoutPhase, scenarioVariant } from '../helpers/scenario-variant.ts';

type Events = JournalFile['events'];
const figures = (events: Events) => eventsOfType(events, 'fault.assessed')[0]!.payload.figures;
const injectedAt = (events: Events) => eventsOfType(events, 'fault.injected')[0]!.at;
const ooms = (events: Events) => eventsOfType(events, 'observation').filter((o) => o.payload.kind === 'oom');
const step = (events: Events, name: string) => eventsOfType(events, 'step.finished').find((s) => s.payload.name === name)?.payload;
/** Fulfillment memory per sample (MB), only while an instance was up. */
const rss = (events: Events) =>
  eventsOfType(events, 'sample').flatMap((e) => {
    const mb = agentRssMb(e.payload, 'fulfillment');
    return mb === undefined ? [] : [{ at: e.at, mb }];
  });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('memory growth drills (real Kafka, fleet, V8 heap limits)', () => {
  it('proactive: RSS climbs, the alert fires before any OOM, a shorter TTL brings memory down, nothing lost', async () => {
    const run = await drill(path.resolve('scenarios/memory-growth.yaml'));
    console.log(`memory-growth: ${run.result.verdict} in ${(run.wallMs / 1000).toFixed(0)} s`, JSON.stringify({ ttd: run.result.ttdMs, ttr: run.result.ttrMs, ...figures(run.events) }));
    expect(run.code, run.stderr).toBe(0);
    expect(run.result.verdict).toBe('passed');
    const t0 = injectedAt(run.events);
    const samples = rss(run.events);
    const firedAt = eventsOfType(run.events, 'alert.firing')[0]!.at;

    // The fault's visible effect: memory climbed steadily after injection, up to the alert.
    const before = mean(samples.filter((s) => s.at < t0 && s.at > t0 - 5000).map((s) => s.mb));
    const atAlert = mean(samples.filter((s) => s.at > firedAt - 1000 && s.at <= firedAt).map((s) => s.mb));
    expect(atAlert).toBeGreaterThan(before + 30);
    const climb = samples.filter((s) => s.at > t0 && s.at <= firedAt);
    expect(climb.at(-1)!.mb).toBeGreaterThan(climb[0]!.mb);

    // Detected before any OOM, and there was none: the response came in time.
    expect(ooms(run.events)).toHaveLength(0);
    expect(figures(run.events)).toMatchObject({ oom: false, oomAtMs: null, variant: 'proactive' });

    // Memory fell after the TTL step: well below the peak and back under the steady threshold.
    const ttlStep = step(run.events, 'shorten-cache-ttl')!;
    expect(ttlStep.exitCode).toBe(0);
    const peak = figures(run.events).peakRssMb as number;
    const after = samples.filter((s) => s.at > ttlStep.endedAt + 1000 && s.at < ttlStep.endedAt + 6000).map((s) => s.mb);
    expect(Math.max(...after)).toBeLessThan(130);
    expect(peak - mean(after)).toBeGreaterThan(30);
    expect(figures(run.events).rssAtRecoveryMb as number).toBeLessThan(130);

    expect(run.result.ttdMs!).toBeLessThanOrEqual(run.result.targets.detectMs);
    expect(run.result.ttrMs!).toBeLessThanOrEqual(run.result.targets.recoverMs);
    expect(run.result.integrity!.lost).toBe(0);
    expect(processesWithMarker(run.marker)).toEqual([]);
  });

  it('reactive: the process really runs out of heap, the lag alert pages, a larger heap restores flow, nothing lost', async () => {
    const run = await drill(path.resolve('scenarios/memory-growth-reactive.yaml'));
    console.log(`memory-growth-reactive: ${run.result.verdict} in ${(run.wallMs / 1000).toFixed(0)} s`, JSON.stringify({ ttd: run.result.ttdMs, ttr: run.result.ttrMs, ...figures(run.events) }));
    expect(run.code, run.stderr).toBe(0);
    expect(run.result.verdict).toBe('passed');
    const t0 = injectedAt(run.events);

    // A real V8 OOM: the supervisor saw the instance die of SIGABRT and the harness marked it.
    const oom = ooms(run.events)[0]!;
    expect(oom.payload).toMatchObject({ agent: 'fulfillment', instanceId: 'fulfillment-1', detail: { signal: 'SIGABRT', heapMb: 128 } });
    const exit = eventsOfType(run.events, 'fleet.event').find((e) => e.payload.type === 'instance.exited' && e.payload.agent === 'fulfillment');
    expect(exit!.payload.detail).toMatchObject({ signal: 'SIGABRT', expected: false });
    const f = figures(run.events);
    expect(f).toMatchObject({ oom: true, variant: 'reactive', oomSignal: 'SIGABRT' });
    expect(f.oomAtMs).toBe(oom.at - t0);
    expect(f.peakRssMb as number).toBeGreaterThan(150);

    // The lag alert came after the crash; the runbook restarted with a larger heap, offsets advanced.
    const firedAt = eventsOfType(run.events, 'alert.firing')[0]!.at;
    expect(firedAt).toBeGreaterThan(oom.at);
    const restart = step(run.events, 'restart-larger-heap')!;
    expect(restart.exitCode).toBe(0);
    expect(step(run.events, 'offsets-advancing')?.exitCode).toBe(0);
    const manual = eventsOfType(run.events, 'fleet.event').find((e) => e.payload.type === 'instance.restarted' && e.payload.detail.manual === true);
    expect(manual!.at).toBeGreaterThan(oom.at);
    const committed = eventsOfType(run.events, 'sample').filter((e) => e.at > manual!.at).map((e) => e.payload.groups.fulfillment!.committed);
    expect(committed.at(-1)!).toBeGreaterThan(committed[0]! + 200);

    const recovered = eventsOfType(run.events, 'recovered')[0]!;
    expect(recovered.payload.windowStartAt).toBeGreaterThanOrEqual(oom.at);
    expect(run.result.ttrMs!).toBeLessThanOrEqual(run.result.targets.recoverMs);
    expect(run.result.integrity!.lost).toBe(0);
    expect(processesWithMarker(run.marker)).toEqual([]);
  });

  it('fails when the proactive runbook has no Respond steps (negative control)', async () => {
    // A short target: without the TTL step nothing brings memory down, so waiting the full 60 s only costs time.
    const scenario = scenarioVariant('memory-growth', { 'targets.recoverWithin': '30s' }, runbookWithoutPhase('Respond', 'memory-growth'));
    const run = await drill(scenario);
    console.log(`memory-growth without Respond: ${run.result.verdict} in ${(run.wallMs / 1000).toFixed(0)} s`, JSON.stringify(run.result.reasons));
    expect(run.code, run.stderr).toBe(1);
    expect(run.result.verdict).toBe('failed');
    expect(run.result.ttdMs).not.toBeNull();
    expect(eventsOfType(run.events, 'step.finished').map((s) => s.payload.name)).not.toContain('shorten-cache-ttl');
    expect(run.result.reasons.some((r) => r.startsWith('recover:') || r.startsWith('fault:'))).toBe(true);
    expect(run.result.integrity!.lost).toBe(0);
    expect(processesWithMarker(run.marker)).toEqual([]);
  });
});
