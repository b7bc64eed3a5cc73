import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/core/journal.ts';
import { corruptStateFile } from '../../src/faults/corrupt-file.ts';
import type { FaultContext } from '../../src/faults/fault.ts';
import { createFault } from '../../src/faults/registry.ts';
import { decide, diffSkuStates, emptyDecisionState, replayDecisions } from '../../src/reference-fleet/decision-logic.ts';
import { loadDecisionState, saveJsonAtomic } from '../../src/reference-fleet/decision-state.ts';
import { availableFor } from '../../src/reference-fleet/messages.ts';
import type { InstanceInfo, StartedFleet } from '../../src/fleet/types.ts';
import { validateDecision } from '../../src/reference-fleet/validate.ts';
import { referenceFault, referenceFaultOk } from '../helpers/faults.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A decision state file with a few SKUs decided, as the agent persists it. */
function stateFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-faults-'));
  dirs.push(dir);
  const file = path.join(dir, 'decision-1.json');
  const state = emptyDecisionState();
  for (let seq = 1; seq <= 30; seq++) decide(state, { seq, sku: `sku-0${seq % 5}`, qty: 2, ts: 0, available: availableFor(`sku-0${seq % 5}`) });
  saveJsonAtomic(file, state);
  return file;
}

describe('state file corruption modes', () => {
  it('truncate leaves half a file the agent refuses to load (it then exits 1 and crash-loops)', () => {
    const file = stateFile();
    const { bytesBefore, bytesAfter } = corruptStateFile(file, 'truncate');
    expect(bytesAfter).toBe(Math.floor(bytesBefore / 2));
    expect(() => loadDecisionState(file)).toThrow();
  });

  it('garbage writes random bytes the agent refuses to load', () => {
    const file = stateFile();
    const { bytesAfter } = corruptStateFile(file, 'garbage', { random: (n) => Buffer.alloc(n, 0x20) });
    expect(bytesAfter).toBeGreaterThanOrEqual(64);
    expect(() => loadDecisionState(file)).toThrow();
  });

  it('plausible (any JSON state\'s numbers made wrong) loads silently and every later decision fails fulfillment validation', () => {
    const file = stateFile();
    expect(corruptStateFile(file, 'plausible').valuesChanged).toBeGreaterThan(0);
    const loaded = loadDecisionState(file)!;
    for (let seq = 100; seq < 110; seq++) {
      const sku = `sku-0${seq % 7}`;
      expect(validateDecision(decide(loaded, { seq, sku, qty: 1, ts: 0, available: availableFor(sku) }))).not.toEqual([]);
    }
  });

  it('a JSON value that is not a state object is refused too', () => {
    const file = stateFile();
    fs.writeFileSync(file, 'null');
    expect(() => loadDecisionState(file)).toThrow(/does not hold a decision state/);
  });
});

describe('decision replay from the log', () => {
  const orders = Array.from({ length: 200 }, (_, i) => ({ seq: i + 1, sku: `sku-0${i % 3}`, qty: 7, ts: 0, available: availableFor(`sku-0${i % 3}`) }));

  it('recomputes exactly the state the agent builds, skipping what the agent skips', () => {
    const agent = emptyDecisionState();
    for (const o of orders) decide(agent, o);
    expect(diffSkuStates(agent.skus, replayDecisions([...orders, 'junk', { sku: 1 }]).skus)).toEqual([]);
  });

  it('names the SKUs whose state differs from the log', () => {
    const corrupted = replayDecisions(orders);
    corrupted.skus['sku-01']!.reserved = -5;
    const diffs = diffSkuStates(corrupted.skus, replayDecisions(orders).skus);
    expect(diffs).toHaveLength(1);
    expect(diffs[0]).toMatch(/^sku-01: state reserved -5/);
  });
});

/** Just enough fleet for the fault: one decision instance the "supervisor" restarts after a kill. */
function fakeFleet(file: string, restartsBeforeCorruption: boolean) {
  const calls: string[] = [];
  let info: InstanceInfo = { id: 'decision-1', agent: 'decision', pid: 1, state: 'running', restarts: 0, adminUrl: 'http://127.0.0.1:1', stateFile: file };
  const fleet = {
    instances: () => [info],
    killInstance: (id: string, signal: string) => {
      calls.push(`kill ${id} ${signal}`);
      info = { ...info, state: restartsBeforeCorruption ? 'starting' : 'restarting' };
      return Promise.resolve();
    },
    restartInstance: (id: string) => {
      calls.push(`restart ${id} (file ${fs.readFileSync(file, 'utf8').includes('-100') ? 'corrupted' : 'clean'})`);
      return Promise.reject(new Error('not healthy'));
    },
  } as unknown as StartedFleet;
  return { fleet, calls };
}

function context(fleet: StartedFleet): FaultContext {
  const clock = { now: () => 1000, sleep: () => Promise.resolve() } as unknown as FaultContext['clock'];
  return { fleet, journal: new Journal(clock), clock, admin: {} as FaultContext['admin'], toxiproxy: {} as FaultContext['toxiproxy'], proxies: {}, random: () => 0, cacheDir: os.tmpdir() };
}

describe('corrupt-state fault', () => {
  it('parses with plausible as the default mode', () => {
    expect(referenceFault({ type: 'corrupt-state' })).toEqual({ type: 'corrupt-state', agent: 'decision', mode: 'plausible', instance: 1 });
    expect(() => referenceFault({ type: 'corrupt-state', mode: 'shred' })).toThrow();
  });

  it('kills, corrupts while the supervisor waits to restart, and leaves the restart to it', async () => {
    const file = stateFile();
    const { fleet, calls } = fakeFleet(file, false);
    const ctx = context(fleet);
    const injected = await createFault({ type: 'corrupt-state', agent: 'decision', mode: 'plausible', instance: 1 }).inject(ctx);
    expect(calls).toEqual(['kill decision-1 SIGKILL']);
    expect(injected.detail).toMatchObject({ instanceId: 'decision-1', mode: 'plausible', stateAfterKill: 'restarting', restartedBeforeCorruption: false });
    expect(ctx.journal.ofType('observation')[0]?.payload.kind).toBe('state.corrupted');
  });

  it('restarts the agent itself if it came back before the file was corrupted (truncate: never healthy)', async () => {
    const file = stateFile();
    const { fleet, calls } = fakeFleet(file, true);
    const injected = await createFault({ type: 'corrupt-state', agent: 'decision', mode: 'truncate', instance: 1 }).inject(context(fleet));
    expect(calls[0]).toBe('kill decision-1 SIGKILL');
    expect(calls[1]).toMatch(/^restart decision-1/);
    expect(injected.detail).toMatchObject({ restartedBeforeCorruption: true });
    expect(() => loadDecisionState(file)).toThrow();
  });
});
