import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsOfType, type JournalFile } from '../../src/core/journal.ts';
import { processesWithMarker } from '../helpers/cli.ts';
import { drillViaCli } from '../helpers/drill.ts';
import { expectRebalanceObserved } from '../helpers/rebalance.ts';
import { scenarioVariant } from '../helpers/scenario-variant.ts';



describe('kill-consumer drill (real Kafka, 5 consumers on 10 partitions)', () => {
  it('observes the rebalance and its pause, pages on lag, waits it out, recovers within target and loses nothing', async () => {
    const run = await drillViaCli(path.resolve('scenarios/kill-consumer.yaml'));
    expect(run.code, run.stderr).toBe(0);
    const { result, events } = run;
    expect(result.verdict).toBe('passed');

    // The broker saw the group leave Stable after the kill and come back.
    const figures = expectRebalanceObserved(events, 'inventory');
    expect(figures.pauseMs).toBeGreaterThan(1000); // healthy commits move every ~500 ms
    expect(figures.lagSpikeRatio).toBeGreaterThan(3);

    // Runbook: confirmed with the real tool, held still, watched the drain.
    const steps = eventsOfType(events, 'step.finished').map((s) => s.payload);
    expect(steps.map((s) => s.name)).toEqual(['group-state', 'hold-for-rebalance', 'lag-drained']);
    expect(steps.every((s) => s.exitCode === 0)).toBe(true);

    expect(result.ttdMs).toBeGreaterThan(0);
    expect(result.ttdMs!).toBeLessThanOrEqual(result.targets.detectMs);
    expect(result.ttrMs!).toBeLessThanOrEqual(result.targets.recoverMs);
    expect(result.integrity!.lost).toBe(0);
    expect(result.integrity!.processed).toBe(result.integrity!.produced);
    expect(processesWithMarker(run.marker)).toEqual([]);
    console.log(`kill-consumer: wall ${run.wallMs} ms, TTD ${result.ttdMs} ms, TTR ${result.ttrMs} ms, figures ${JSON.stringify(figures)}`);
  });

  it('fails naming detect when the alert can never fire (negative control)', async () => {
    const scenario = scenarioVariant('kill-consumer', { alert: 'lag(group=inventory) > 100000000 for 1s', 'targets.recoverWithin': '20s' });
    const run = await drillViaCli(scenario);
    expect(run.code, run.stderr).toBe(1);
    expect(run.result.verdict).toBe('failed');
    expect(run.result.ttdMs).toBeNull();
    expect(run.result.reasons.some((r) => r.startsWith('detect:'))).toBe(true);
    // Nobody was paged, so no runbook step ran; the fleet still lost nothing.
    expect(eventsOfType(run.events, 'step.started')).toEqual([]);
    expect(run.result.integrity!.lost).toBe(0);
    expect(processesWithMarker(run.marker)).toEqual([]);
  });
});
