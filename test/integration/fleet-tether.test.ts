import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { processAlive, readStat } from '../../src/infra/local/child-process.ts';
import { processLauncher } from '../../src/fleet/process-launcher.ts';
import { setprivPath } from '../../src/fleet/tether.ts';
import { until } from '../helpers/wait.ts';

/**
 * A team's program must not outlive a harness that dies without its teardown. A harness-like Node
 * script starts the program (which forks a child and a grandchild, as a launcher script does) and
 * is then SIGKILLed: no handler of ours runs, only the tether can act. In the same harness the same
 * program also runs untethered: it must survive, or this test could not fail.
 */
const root = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-fleet-tether-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const moduleUrl = (rel: string) => pathToFileURL(fileURLToPath(new URL(rel, import.meta.url))).href;

// Writes each descendant's pid to $1: a background child, and a grandchild under a child shell.
const program = `
sleep 300 &
echo "$!" >> "$1"
sh -c 'sleep 300 & echo "$!" >> "$1"; wait' inner "$1" &
echo "$!" >> "$1"
wait
`;

type Mode = 'launcher' | 'pdeathsig-only' | 'watcher-only';

// One instance per mode, started the way the product does (or with one guard alone), plus the
// untethered control; then it reports the pids and idles until it is killed.
const harness = `
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { processLauncher } from ${JSON.stringify(moduleUrl('../../src/fleet/process-launcher.ts'))};
import { pdeathsigArgv, watchGroup } from ${JSON.stringify(moduleUrl('../../src/fleet/tether.ts'))};
const [mode, dir] = process.argv.slice(2);
const argv = (name) => ['/bin/sh', dir + '/program.sh', dir + '/' + name + '.pids'];
let tethered;
if (mode === 'launcher') {
  const request = { instanceId: 'team-1', agent: 'team', env: {}, command: { argv: argv('tethered'), cwd: dir }, adminPort: 1, heapMb: undefined, logFile: dir + '/team-1.log' };
  tethered = (await processLauncher().launch(request)).pid;
} else {
  const [file, ...args] = mode === 'pdeathsig-only' ? pdeathsigArgv(argv('tethered'), dir, process.env) : argv('tethered');
  tethered = spawn(file, args, { detached: true, stdio: 'ignore' }).pid;
  if (mode === 'watcher-only') watchGroup(tethered);
}
const control = spawn(argv('control')[0], argv('control').slice(1), { detached: true, stdio: 'ignore' }).pid;
writeFileSync(dir + '/harness.json', JSON.stringify({ tethered, control }));
setInterval(() => undefined, 60_000);
`;

/**
 * Groups, harnesses and folders this test made, removed after each test whatever happened. The
 * programs' descendants are in the programs' groups; a group id is not reused while any member lives.
 */
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function kill(target: number): void {
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** A watcher's pid is checked before the kill: by cleanup time it may be gone and the pid reused. */
function killWatcher(pid: number): void {
  try {
    if (cmdline(pid).includes('agentdrill-group-watch')) kill(pid);
  } catch {
    // gone
  }
}

async function startHarness(mode: Mode) {
  const dir = mkdtempSync(path.join(root, `${mode}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'program.sh'), program);
  writeFileSync(path.join(dir, 'harness.mjs'), harness);
  const child = spawn(process.execPath, ['--import', tsxLoader, path.join(dir, 'harness.mjs'), mode, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  cleanups.push(() => child.kill('SIGKILL'));
  const report = path.join(dir, 'harness.json');
  const pids = await until(`the ${mode} harness's pids`, () => existsSync(report) && (JSON.parse(readFileSync(report, 'utf8')) as { tethered: number; control: number }), 30_000).catch((e: unknown) => {
    throw new Error(`${String(e)}; the harness said: ${stderr}`);
  });
  // Registered before anything can fail, so whatever the assertions say nothing is left behind.
  for (const pgid of [pids.tethered, pids.control]) cleanups.push(() => kill(-pgid));
  const descendants = (name: string) => threeDescendants(path.join(dir, `${name}.pids`));
  return { dir, harness: child, tethered: { pid: pids.tethered, descendants: await descendants('tethered') }, control: { pid: pids.control, descendants: await descendants('control') } };
}

/** The pids the program wrote, once all three are there. */
function threeDescendants(file: string): Promise<number[]> {
  return until(`three pids in ${file}`, () => {
    const found = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : [];
    return found.length === 3 && found;
  }, 20_000);
}

async function sigkillHarness({ harness }: { harness: ChildProcess }): Promise<void> {
  expect(harness.exitCode ?? harness.signalCode, 'the harness ended before its kill').toBeNull();
  const exited = new Promise((resolve) => harness.once('exit', resolve));
  harness.kill('SIGKILL');
  await exited;
}

const allOf = (p: { pid: number; descendants: number[] }) => [p.pid, ...p.descendants];
const gone = (pids: number[]) => pids.every((pid) => !processAlive(pid));
const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

/** The watchers of group `pgid`, found by their argv. */
function watchersOf(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => {
      try {
        const argv = cmdline(pid);
        return argv.includes('agentdrill-group-watch') && argv.at(-1) === String(pgid) && processAlive(pid);
      } catch {
        return false;
      }
    });
}

describe('team commands are tethered to the harness', () => {
  it('a SIGKILLed harness takes the program and what it forked with it; the untethered control survives', async () => {
    const h = await startHarness('launcher');
    // The instance's pid is the program's own (the sampler reads it), not a wrapper's.
    expect(cmdline(h.tethered.pid)).toEqual(['/bin/sh', path.join(h.dir, 'program.sh'), path.join(h.dir, 'tethered.pids')]);
    // The descendants are in the program's group, where the watcher reaches them; the watcher is not.
    for (const pid of h.tethered.descendants) expect(readStat(pid)?.pgrp).toBe(h.tethered.pid);
    const watchers = watchersOf(h.tethered.pid);
    expect(watchers).toHaveLength(1);
    expect(readStat(watchers[0]!)?.pgrp).not.toBe(h.tethered.pid);
    cleanups.push(() => killWatcher(watchers[0]!));
    await sigkillHarness(h);
    await until('the tethered program, its child and grandchild gone', () => gone(allOf(h.tethered)), 15_000);
    await until('its watcher gone', () => gone(watchers), 15_000);
    expect(allOf(h.control).filter(processAlive)).toEqual(allOf(h.control));
  });

  it.skipIf(setprivPath() === null)('setpriv --pdeathsig alone kills the program Node spawned, but not its children (why the watcher exists)', async () => {
    const h = await startHarness('pdeathsig-only');
    expect(cmdline(h.tethered.pid)[0]).toBe('/bin/sh');
    await sigkillHarness(h);
    await until('the program killed by its death signal', () => gone([h.tethered.pid]), 15_000);
    expect(h.tethered.descendants.filter(processAlive)).toEqual(h.tethered.descendants);
    expect(allOf(h.control).filter(processAlive)).toEqual(allOf(h.control));
  });

  it('the watcher alone (the fallback without setpriv) kills the whole group', async () => {
    const h = await startHarness('watcher-only');
    await sigkillHarness(h);
    await until('the program, its child and grandchild gone', () => gone(allOf(h.tethered)), 15_000);
    expect(allOf(h.control).filter(processAlive)).toEqual(allOf(h.control));
  });
});

describe('team commands under a living harness', () => {
  const launch = async (argv: string[]) => {
    const dir = mkdtempSync(path.join(root, 'live-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const instance = await processLauncher().launch({ instanceId: `team-${randomUUID().slice(0, 8)}`, agent: 'team', env: {}, command: { argv, cwd: dir }, adminPort: 1, heapMb: undefined, logFile: path.join(dir, 'team.log') });
    const pgid = instance.pid;
    if (pgid !== undefined) cleanups.push(() => kill(-pgid));
    return { dir, instance };
  };

  it('what the program forked goes when the program is stopped, and its exit is the program’s own', async () => {
    const { dir, instance } = await launch(['/bin/sh', '-c', program, 'program', 'pids']);
    const descendants = await threeDescendants(path.join(dir, 'pids'));
    const watchers = watchersOf(instance.pid!);
    expect(watchers).toHaveLength(1);
    cleanups.push(() => killWatcher(watchers[0]!));
    expect(instance.signal('SIGTERM')).toBe(true);
    expect(await instance.exited).toEqual({ code: null, signal: 'SIGTERM' });
    await until('the descendants and the watcher gone', () => gone([...descendants, ...watchers]), 15_000);
  });

  it('a program that does not exist still fails to spawn as before (ENOENT), not as a wrapper’s exit 127', async () => {
    const { instance } = await launch([`agentdrill-no-such-program-${randomUUID()}`]);
    expect(instance.pid).toBeUndefined();
    expect((await instance.exited).error).toMatch(/ENOENT/);
  });
});
