import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Why tethers: a team's program (Python, a JVM, a shell script) does not watch PARENT_PID, and the
 * harness can die without its teardown (SIGKILL, a crash, the OOM killer), so nothing of ours
 * would ever stop it or what it forked. Two independent guards, neither needing the harness alive:
 *
 * 1. The program runs under `setpriv --pdeathsig KILL`, which sets PR_SET_PDEATHSIG and execs it:
 *    the instance's pid stays the program's own (the sampler reads /proc/<pid>), and the kernel
 *    kills it when the harness thread that forked it ends. Node forks from the main thread, so
 *    that means "when the harness ends"; from a worker thread it would mean "when the worker ends".
 * 2. The death signal reaches the direct child only, not what it forks (a launcher script's
 *    python, a JVM wrapper's java). Those share its process group (spawned detached, it leads its
 *    own), so a watcher kills the group once the harness is gone, or once the program has exited
 *    (as a container's processes go with its PID 1). The watcher is not in the group, so group
 *    signals and counts never see it.
 *
 * Without a working setpriv (another distro, a BusyBox without --pdeathsig) the watcher alone
 * covers the program too: it is a member of the group it kills. What setpriv adds is a guard for
 * the pid we report that holds even if the watcher was killed or the program left its group.
 *
 * Not covered: a process that puts itself in another group or session (a daemon's setsid), and
 * a harness killed in the instant between starting the program and starting its watcher, before
 * setpriv has set the death signal.
 */

// Blocks on a pipe whose only writer is the harness: EOF comes when the harness exits by any path
// (the kernel closes a SIGKILLed process's files too) or when the launcher closes it after the
// program's exit. No polling, so nothing to tune, and a zombie harness or a reused pid cannot
// keep it waiting. dash needs `-s KILL` for a negative pid.
const watcherScript = 'read -r _; kill -s KILL -- "-$1" 2>/dev/null; exit 0';
/** The watcher does one kill after EOF; this only bounds a stop if someone froze it. */
const releaseBoundMs = 5000;

let probed: string | null | undefined;

/**
 * A setpriv that really sets a death signal here, probed once by running it: present is not
 * enough (util-linux before 2.33 and BusyBox lack --pdeathsig, seccomp policies differ), and a
 * wrapper that fails would fail every start of every team program.
 */
export function setprivPath(): string | null {
  probed ??= ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => spawnSync(p, ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore', timeout: 5000 }).status === 0) ?? null;
  return probed;
}

/**
 * The argv that runs `argv` with the death signal set. A program that cannot be found is left
 * unwrapped, so spawn still fails with ENOENT/EACCES as before instead of setpriv exiting 127.
 */
export function pdeathsigArgv(argv: string[], cwd: string, env: NodeJS.ProcessEnv): string[] {
  const setpriv = setprivPath();
  const program = argv[0];
  if (!setpriv || !program || !findExecutable(program, cwd, env.PATH ?? '')) return argv;
  return [setpriv, '--pdeathsig', 'KILL', '--', ...argv];
}

/** The same lookup execvp does: a name with a slash is a path from cwd, otherwise each PATH entry. */
function findExecutable(program: string, cwd: string, searchPath: string): boolean {
  const candidates = program.includes('/') ? [program] : searchPath.split(path.delimiter).map((dir) => path.join(dir || '.', program));
  return candidates.some((file) => {
    try {
      accessSync(path.resolve(cwd, file), constants.X_OK);
      return statSync(path.resolve(cwd, file)).isFile();
    } catch {
      return false;
    }
  });
}

export interface GroupWatch {
  /** Call once the program has exited: kills what is left of its group, resolves when done. */
  release(): Promise<void>;
}

/** Starts the watcher of process group `pgid` (the program's pid, since it was spawned detached). */
export function watchGroup(pgid: number): GroupWatch {
  // Only the run markers: an orphaned watcher stays attributable, and the team's config stays out.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('AGENTDRILL_')));
  // Detached: its own group and session, so a Ctrl-C at the terminal or a signal to the
  // instance's group does not end it before it has done its job.
  const watcher = spawn('/bin/sh', ['-c', watcherScript, 'agentdrill-group-watch', String(pgid)], { env, detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  // It must never keep the harness alive; the pipe's write end does not either.
  watcher.unref();
  // EPIPE when it is already gone must not become an uncaught 'error' in the harness.
  watcher.stdin?.on('error', () => undefined);
  const gone = new Promise<void>((resolve) => {
    watcher.once('exit', () => resolve());
    watcher.once('error', () => resolve());
  });
  let released: Promise<void> | undefined;
  return {
    release() {
      released ??= (() => {
        watcher.stdin?.end();
        let timer: NodeJS.Timeout | undefined;
        const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, releaseBoundMs).unref()));
        return Promise.race([gone, bound]).finally(() => clearTimeout(timer));
      })();
      return released;
    },
  };
}
