import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { eventsOfType, type JournalFile } from '../../src/core/journal.ts';
import { corruptStateFile } from '../../src/faults/corrupt-file.ts';
import type { CorruptionMode } from '../../src/faults/corruption-modes.ts';
import { decide, emptyDecisionState } from '../../src/reference-fleet/decision-logic.ts';
import { loadDecisionState, saveJsonAtomic } from '../../src/reference-fleet/decision-state.ts';
import { packageRoot } from '../../src/core/settings.ts';
import { processLauncher } from '../../src/fleet/process-launcher.ts';
import { Supervisor, type AgentTemplate } from '../../src/fleet/supervisor.ts';
import { processesWithMarker } from '../helpers/cli.ts';
import { drillViaCli } from '../helpers/drill.ts';
import { runbookWithoutPhase, scenarioVariant } from '../helpers/scenario-variant.ts';



const assessed = (events: JournalFile['events']) => eventsOfType(events, 'fault.assessed')[0]?.payload;
const stepsRun = (events: JournalFile['events']) => eventsOfType(events, 'step.finished').map((s) => s.payload);

describe('state corruption drill (real Kafka, fleet, kafka-consumer-groups)', () => {
  it('counts invalid decisions, pages, rebuilds the state from the log, recovers within target and loses nothing', async () => {
    const run = await drillViaCli(path.resolve('scenarios/state-corruption.yaml'));
    expect(run.code, run.stderr).toBe(0);
    const { result, events } = run;
    expect(result.verdict).toBe('passed');

    // The agent came back on a corrupted file: killed, file corrupted, then the supervisor's restart.
    const injected = eventsOfType(events, 'fault.injected')[0]!;
    expect(injected.payload.detail).toMatchObject({ mode: 'plausible', restartedBeforeCorruption: false });
    const corruptedAt = injected.payload.detail.corruptedAt as number;
    const decisionEvents = eventsOfType(events, 'fleet.event').filter((e) => e.payload.agent === 'decision');
    const killed = decisionEvents.find((e) => e.payload.type === 'instance.exited' && e.payload.detail.signal === 'SIGKILL')!;
    const restarted = decisionEvents.find((e) => e.payload.type === 'instance.restarted' && e.at > killed.at)!;
    expect(killed.at).toBeLessThanOrEqual(corruptedAt);
    expect(restarted.at).toBeGreaterThan(corruptedAt);

    // The fault's visible effect: fulfillment counted invalid decisions after the restart.
    const invalidCounts = eventsOfType(events, 'sample').filter((e) => e.at > injected.at).map((e) => e.payload.counters['invalid.fulfillment'] ?? 0);
    expect(Math.max(...invalidCounts)).toBeGreaterThan(0);

    // The response ran in the order that makes the reset possible, with the real Kafka tool.
    const steps = stepsRun(events);
    expect(steps.map((s) => s.name)).toEqual(['decision-status', 'stop-decision', 'delete-state', 'reset-offsets', 'restart-decision', 'no-invalid-decisions']);
    expect(steps.every((s) => s.exitCode === 0)).toBe(true);
    expect(steps.find((s) => s.name === 'reset-offsets')!.command).toMatch(/^kafka-consumer-groups .*--reset-offsets --to-earliest --execute/);

    expect(result.ttdMs).toBeGreaterThan(0);
    expect(result.ttdMs!).toBeLessThanOrEqual(result.targets.detectMs);
    expect(result.ttrMs!).toBeLessThanOrEqual(result.targets.recoverMs);
    expect(result.integrity!.lost).toBe(0);
    expect(result.integrity!.processed).toBe(result.integrity!.produced);

    // Extra scores: invalid events reached the sink, and the rebuilt state equals the log's.
    const figures = assessed(events)!.figures;
    expect(figures.blastRadius).toBeGreaterThan(0);
    expect(figures.stateMatchesLog).toBe(true);
    expect(figures.logEvents).toBe(result.integrity!.produced);
    expect(assessed(events)!.failures).toEqual([]);
    expect(processesWithMarker(run.marker)).toEqual([]);
    console.log(`state-corruption: wall ${run.wallMs} ms, TTD ${result.ttdMs} ms, TTR ${result.ttrMs} ms, figures ${JSON.stringify(figures)}`);
  });

  it('fails when the runbook has no response steps: invalid decisions go on and the state stays wrong (negative control)', async () => {
    const scenario = scenarioVariant('state-corruption', { 'targets.recoverWithin': '30s' }, runbookWithoutPhase('Respond', 'state-corruption'));
    const run = await drillViaCli(scenario);
    expect(run.code, run.stderr).toBe(1);
    expect(run.result.verdict).toBe('failed');
    expect(run.result.reasons.some((r) => r.startsWith('recover:'))).toBe(true);
    // The fleet file's own state check (state.verify) says it, for the instance it checked.
    expect(run.result.reasons.some((r) => /^fault: decision-1: state\.verify exited 1: rebuilt decision state differs from the event log/.test(r)), run.result.reasons.join('\n')).toBe(true);
    expect(run.result.ttdMs).not.toBeNull();
    expect(stepsRun(run.events).map((s) => s.name)).not.toContain('reset-offsets');
    expect(assessed(run.events)!.figures.stateMatchesLog).toBe(false);
    expect(run.result.integrity!.lost).toBe(0);
    expect(processesWithMarker(run.marker)).toEqual([]);
  });
});

describe('state corruption, fault level: an unreadable state file crash-loops the real decision agent', () => {
  it.each<CorruptionMode>(['truncate', 'garbage'])('%s: the agent exits 1 at start and the supervisor keeps restarting it', async (mode) => {
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-crashloop-'));
    const file = path.join(workDir, 'state', 'decision-1.json');
    mkdirSync(path.dirname(file), { recursive: true });
    const state = emptyDecisionState();
    for (let seq = 1; seq <= 50; seq++) decide(state, { seq, sku: `sku-${seq % 10}`, qty: 1, ts: 0, available: 500 });
    saveJsonAtomic(file, state);
    corruptStateFile(file, mode);
    // The decision agent as its fleet file runs it; no broker is needed: it reads its state file before it connects to anything.
    const template: AgentTemplate = {
      stateful: true,
      env: () => ({}),
      command: (id, port) => ({
        argv: [process.execPath, '--import', 'tsx', 'src/reference-fleet/agents/decision.ts'],
        cwd: packageRoot,
        env: { AGENT_ID: id, AGENT_NAME: 'decision', ADMIN_PORT: String(port), STATE_FILE: file, KAFKA_BROKERS: '127.0.0.1:1', TOPIC_IN: 'in', TOPIC_OUT: 'out', GROUP_ID: 'g' },
      }),
    };
    const supervisor = new Supervisor({
      launcher: processLauncher(),
      workDir,
      templates: { decision: template },
      policy: { initialMs: 100, maxMs: 400, resetAfterMs: 10_000 },
      healthTimeoutMs: 10_000,
    });
    try {
      await expect(supervisor.add('decision', 1)).rejects.toThrow(/exited \(code 1/);
      const deadline = Date.now() + 20_000;
      while (supervisor.instances()[0]!.restarts < 2 && Date.now() < deadline) await sleep(200);
      const info = supervisor.instances()[0]!;
      expect(info.restarts).toBeGreaterThanOrEqual(2);
      expect(info.state).not.toBe('running');
      expect(readFileSync(info.logFile!, 'utf8')).toMatch(/state file .* is unreadable/);
      // Deleting the file is the fix: the next restart starts from an empty state (and waits for Kafka).
    } finally {
      await supervisor.stopAll();
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('a plausible file is loaded silently: no crash', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-plausible-'));
    const file = path.join(dir, 'decision-1.json');
    const state = emptyDecisionState();
    for (let seq = 1; seq <= 20; seq++) decide(state, { seq, sku: `sku-${seq % 4}`, qty: 1, ts: 0, available: 500 });
    writeFileSync(file, JSON.stringify(state));
    // What the fault writes for any JSON state (the fleet file's decision state included).
    corruptStateFile(file, 'plausible');
    const loaded = loadDecisionState(file)!;
    expect(Object.keys(loaded.skus)).toHaveLength(4);
    expect(Object.values(loaded.skus).every((s) => s.reserved < 0)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).not.toEqual(state);
    rmSync(dir, { recursive: true, force: true });
  });
});
