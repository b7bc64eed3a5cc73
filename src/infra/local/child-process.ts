import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentdrillError } from '../../core/errors.ts';

/**
 * Why a shell tether: the harness must not leave Kafka or Toxiproxy behind even when it is
 * SIGKILLed (no handler runs then). Linux's PR_SET_PDEATHSIG is out of reach from Node and not
 * portable; a node watchdog per child would cost ~40 MB each. So each long-lived child starts as
 * `sh -c TETHER harnessPid cmd...`: the shell forks a watcher that polls the harness pid once a
 * second, then `exec`s the command, so the child keeps the pid we spawned (signals, 'exit' and
 * memory sampling all see the real process) and its parent stays the harness. When the harness
 * disappears, the watcher sends SIGTERM, then SIGKILL after 5 s. The watcher also ends as soon as
 * the child is gone, so it never outlives it by more than a second.
 */
const tether = `
harness=$1; shift
(
  while kill -0 "$harness" 2>/dev/null && kill -0 $$ 2>/dev/null; do sleep 1; done
  kill -TERM $$ 2>/dev/null || exit 0
  i=0
  while kill -0 $$ 2>/dev/null && [ $i -lt 5 ]; do sleep 1; i=$((i+1)); done
  kill -KILL $$ 2>/dev/null
) &
exec "$@"
`;

export interface TetheredChild {
  readonly name: string;
  /** The command's own pid, also its process-group id. */
  readonly pid: number;
  readonly logFile: string;
  readonly exited: Promise<void>;
  hasExited(): boolean;
  exitCode(): number | null;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when nothing of it is left. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnTetheredOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  /** stdout and stderr go here: a file never fills up or breaks (EPIPE) when the harness stops reading or dies. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
}

const live = new Set<TetheredChild>();
let exitHookInstalled = false;

export function spawnTethered(options: SpawnTetheredOptions): TetheredChild {
  installExitHook();
  const out = fs.openSync(options.logFile, 'a');
  const child = (() => {
    try {
      // detached: its own process group, so a terminal Ctrl-C reaches only the harness, which then
      // tears down in order; and one group signal reaches the command and its watcher together.
      return spawn('/bin/sh', ['-c', tether, 'agentdrill-tether', String(process.pid), options.command, ...options.args], {
        cwd: options.cwd,
        env: options.env ?? process.env,
        detached: true,
        stdio: ['ignore', out, out],
      });
    } finally {
      fs.closeSync(out);
    }
  })();
  const pid = child.pid;
  if (pid === undefined) {
    throw new AgentdrillError('INFRA_START_FAILED', `Could not start ${options.name} (${options.command})`);
  }
  // Teardown is explicit (stop()) or via the exit hook/tether; a forgotten child must not keep the harness alive.
  child.unref();
  let exited = false;
  let code: number | null = null;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (c) => {
      exited = true;
      code = c;
      resolve();
    });
    child.once('error', () => {
      exited = true;
      resolve();
    });
  });
  let stopping: Promise<void> | undefined;
  const handle: TetheredChild = {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited: exitedPromise,
    hasExited: () => exited,
    exitCode: () => code,
    stop: (graceMs = 5000) => {
      stopping ??= (async () => {
        const gone = () => exited && !groupAlive(pid);
        if (!gone()) {
          signalGroup(pid, 'SIGTERM');
          if (!(await waitFor(gone, graceMs))) {
            signalGroup(pid, 'SIGKILL');
            await waitFor(gone, 3000);
          }
        }
        live.delete(handle);
      })();
      return stopping;
    },
  };
  live.add(handle);
  void exitedPromise.then(() => {
    if (!groupAlive(pid)) live.delete(handle);
  });
  return handle;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Whether any live (non-zombie) process is left in the group. On Linux this reads /proc, because
 * kill(-pgid, 0) also counts zombies, and a container's pid 1 may never reap orphans.
 */
export function groupAlive(pgid: number): boolean {
  if (process.platform === 'linux' && fs.existsSync('/proc/self/stat')) {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readStat(Number(entry));
      if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') return true;
    }
    return false;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Fields of /proc/<pid>/stat after the command name (which may itself contain spaces and parens). */
export function readStat(pid: number): { state: string; ppid: number; pgrp: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', ppid: Number(fields[1]), pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** Whether a process is still running (a zombie is not). */
export function processAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    const stat = readStat(pid);
    return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * On a normal or error exit nothing async runs any more, but a synchronous SIGTERM still does:
 * children start shutting down at once instead of a second later via the tether.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) signalGroup(child.pid, 'SIGTERM');
  });
}
