import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/core/journal.ts';
import { corruptStateDir, corruptStateFile, maxStateFiles } from '../../src/faults/corrupt-file.ts';
import type { FaultContext } from '../../src/faults/fault.ts';
import { corruptJsonPlausibly } from '../../src/faults/plausible-json.ts';
import { createFault } from '../../src/faults/registry.ts';
import { assessTeamState } from '../../src/faults/state-assessment.ts';
import { runStateVerify } from '../../src/fleet/team/state-verify.ts';
import type { InstanceInfo, StartedFleet, StateCheck } from '../../src/fleet/types.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-team-state-'));
  dirs.push(dir);
  return dir;
}

describe('plausible corruption of a JSON state the drill does not know', () => {
  it('keeps the structure, makes every number wrong, and counts them', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const file = path.join(tempDir(), 'state.json');
        fs.writeFileSync(file, JSON.stringify(value));
        const changed = corruptJsonPlausibly(file);
        const after = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
        const numbers: number[] = [];
        const shape = (v: unknown): unknown => {
          if (typeof v === 'number') {
            numbers.push(v);
            return 'n';
          }
          if (Array.isArray(v)) return v.map(shape);
          if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
          return v;
        };
        const before = shape(JSON.parse(JSON.stringify(value)));
        const countBefore = numbers.splice(0).length;
        expect(shape(after)).toEqual(before);
        expect(changed).toBe(countBefore);
        // Every number lies below any value a count or a total could have had.
        expect(numbers.every((n) => n <= -1000)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('answers undefined for a file that is not JSON, and the fault refuses rather than pretend (FAULT_FAILED)', () => {
    const file = path.join(tempDir(), 'state.bin');
    fs.writeFileSync(file, 'not json {');
    expect(corruptJsonPlausibly(file)).toBeUndefined();
    expect(() => corruptStateFile(file, 'plausible')).toThrow(expect.objectContaining({ code: 'FAULT_FAILED' }));
    fs.writeFileSync(file, '{"name": "no numbers"}');
    expect(() => corruptStateFile(file, 'plausible')).toThrow(expect.objectContaining({ code: 'FAULT_FAILED' }));
  });
});

describe('a state folder', () => {
  it('goes bad file by file, nested ones too', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'segments'));
    const index = JSON.stringify({ offset: 42, items: [1, 2] });
    fs.writeFileSync(path.join(dir, 'index.json'), index);
    fs.writeFileSync(path.join(dir, 'segments', 'a.log'), 'x'.repeat(100));
    expect(corruptStateDir(dir, 'truncate')).toEqual({ files: 2, bytesBefore: index.length + 100, bytesAfter: Math.floor(index.length / 2) + 50 });
    expect(fs.readFileSync(path.join(dir, 'segments', 'a.log'), 'utf8')).toBe('x'.repeat(50));
  });

  it('in plausible mode changes the JSON files it can and leaves the rest', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ offset: 42 }));
    fs.writeFileSync(path.join(dir, 'blob.bin'), 'raw');
    expect(corruptStateDir(dir, 'plausible')).toMatchObject({ files: 1, valuesChanged: 1 });
    expect(fs.readFileSync(path.join(dir, 'blob.bin'), 'utf8')).toBe('raw');
  });

  it('refuses an empty folder and bounds how many files it touches', () => {
    const dir = tempDir();
    expect(() => corruptStateDir(dir, 'garbage')).toThrow(expect.objectContaining({ code: 'FAULT_FAILED' }));
    for (let i = 0; i < maxStateFiles + 5; i++) fs.writeFileSync(path.join(dir, `f${String(i).padStart(4, '0')}`), 'abcd');
    expect(corruptStateDir(dir, 'truncate').files).toBe(maxStateFiles);
  });
});

describe("the team's state check", () => {
  it('runs the command for real: exit 0 agrees, non-zero differs with its output, a hang is cut off', async () => {
    const cwd = tempDir();
    const ok = await runStateVerify('scorer-1', { argv: ['sh', '-c', 'test "$WHO" = scorer-1 && echo fine'], cwd, env: { WHO: 'scorer-1' } });
    expect(ok).toMatchObject({ instanceId: 'scorer-1', matches: true, exitCode: 0, output: 'fine' });
    const bad = await runStateVerify('scorer-2', { argv: ['sh', '-c', 'echo "customer-7: 12 != 30" >&2; exit 4'], cwd, env: {} });
    expect(bad).toMatchObject({ matches: false, exitCode: 4, output: 'customer-7: 12 != 30' });
    const hung = await runStateVerify('scorer-3', { argv: ['sh', '-c', 'sleep 30 & wait'], cwd, env: {} }, 300);
    expect(hung).toMatchObject({ matches: false, timedOut: true });
    const missing = await runStateVerify('scorer-4', { argv: ['/nonexistent/verify'], cwd, env: {} });
    expect(missing).toMatchObject({ matches: false, exitCode: null });
  });

  const instance = (id: string, restarts: number): InstanceInfo => ({ id, agent: 'scorer', pid: 1, state: 'running', restarts, adminUrl: '' });
  const context = (checks: StateCheck[] | undefined, declared = true): FaultContext => {
    const fleet = { instances: () => [instance('scorer-1', 3), instance('scorer-2', 0)], ...(declared ? { verifyState: () => Promise.resolve(checks) } : {}) } as unknown as StartedFleet;
    return { fleet } as FaultContext;
  };

  it('says "not assessed" when the fleet declares no check, and fails the drill only on a check that disagrees', async () => {
    expect(await assessTeamState(context(undefined, false), 'scorer')).toEqual({ figures: { restarts: 3, stateMatchesLog: 'not assessed: the fleet file declares no state.verify' }, failures: [] });
    const agree = await assessTeamState(context([{ instanceId: 'scorer-1', matches: true, exitCode: 0, output: '' }]), 'scorer');
    expect(agree).toEqual({ figures: { restarts: 3, stateMatchesLog: true, instancesChecked: 1, instancesDiffering: 0 }, failures: [] });
    const differ = await assessTeamState(context([{ instanceId: 'scorer-2', matches: false, exitCode: 1, output: 'line 1\ncustomer-7 differs' }]), 'scorer');
    expect(differ.figures.stateMatchesLog).toBe(false);
    expect(differ.failures).toEqual(['scorer-2: state.verify exited 1: line 1 | customer-7 differs']);
    expect((await assessTeamState(context([]), 'scorer')).failures).toHaveLength(1);
  });
});

describe('corrupt-state on a team agent', () => {
  it('kills the chosen instance, cuts its state while it waits to restart, and names the file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'totals.json');
    fs.writeFileSync(file, JSON.stringify({ totals: { 'customer-1': 10 } }));
    const calls: string[] = [];
    const infos: InstanceInfo[] = [
      { id: 'scorer-1', agent: 'scorer', pid: 1, state: 'running', restarts: 0, adminUrl: '', stateFile: path.join(dir, 'other.json') },
      { id: 'scorer-2', agent: 'scorer', pid: 2, state: 'running', restarts: 0, adminUrl: '', stateFile: file },
    ];
    const fleet = {
      instances: () => infos,
      killInstance: (id: string, signal: string) => {
        calls.push(`kill ${id} ${signal}`);
        infos[1] = { ...infos[1]!, state: 'restarting' };
        return Promise.resolve();
      },
      restartInstance: (id: string) => Promise.resolve(void calls.push(`restart ${id}`)),
    } as unknown as StartedFleet;
    const clock = { now: () => 5 } as unknown as FaultContext['clock'];
    const injected = await createFault({ type: 'corrupt-state', agent: 'scorer', mode: 'truncate', instance: 2 }).inject({ fleet, journal: new Journal(clock), clock } as FaultContext);
    expect(calls).toEqual(['kill scorer-2 SIGKILL']);
    expect(injected.detail).toMatchObject({ instanceId: 'scorer-2', stateFile: file, files: 1, restartedBeforeCorruption: false });
    expect(() => JSON.parse(fs.readFileSync(file, 'utf8')) as unknown).toThrow();
  });
});
