// After the tests, on every exit path (Ctrl-C and a CI job's SIGTERM included): every process that
// carries this run's marker in its environment is stopped. A drill the tests started is a CLI
// process of its own; when vitest and its workers go first, the drill would otherwise run on to its
// end as an orphan. SIGINT first, so the drill tears down its broker, fleet and containers the way a
// user's Ctrl-C does; SIGKILL only for what is still there after the grace time.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export const runMarker = 'AGENTDRILL_TEST_RUN';

function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function marked(runId) {
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let environ;
    try {
      environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (environ.split('\0').includes(`${runMarker}=${runId}`)) found.push(Number(entry));
  }
  return found;
}

/** The drills' own CLI processes: stopped first, they stop what they started. */
function isDrillCli(pid) {
  try {
    return /bin\/agentdrill\.mjs\0run\0/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * A local Kubernetes cluster's reaper, or what it runs: when its drill dies it stops the node's
 * processes, cgroups, bridge and mounts. Killed along with the drill, it would leave them all.
 */
function inReaper(pid) {
  for (let p = pid, hops = 0; p > 1 && hops < 8; hops++) {
    try {
      if (fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('agentdrill-k8s-reaper')) return true;
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return false;
    }
  }
  return false;
}

function signal(pids, sig) {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // gone already
    }
  }
}

/**
 * On the test command's first signal: vitest lets a running test finish, and a drill test lasts
 * minutes, so the drills are told at once, as a terminal's Ctrl-C would tell them.
 */
export function interruptDrills(runId) {
  signal(marked(runId).filter(isDrillCli), 'SIGINT');
}

/** Synchronous, so it can run in an 'exit' handler. Returns how many processes it had to stop. */
export function sweepRun(runId, { graceMs = 30_000, log = console.error } = {}) {
  const first = marked(runId);
  if (first.length === 0) return 0;
  const drills = first.filter(isDrillCli);
  log(`== sweep: ${first.length} processes of this test run still running; stopping ${drills.length} drills with SIGINT first`);
  signal(drills.length > 0 ? drills : first, 'SIGINT');
  const deadline = Date.now() + graceMs;
  let left = marked(runId);
  while (left.length > 0 && Date.now() < deadline) {
    sleepMs(250);
    left = marked(runId);
    // Once the drills are gone, only a cluster's reaper has a teardown of its own left to wait for.
    if (left.every((pid) => !isDrillCli(pid) && !inReaper(pid))) break;
  }
  // What a dying worker or drill started in its last moment is new since the list was read: kill
  // until a look finds nothing (bounded), so no straggler writes into the run's TMPDIR afterwards.
  for (let round = 0; left.length > 0 && round < 20; round++) {
    signal(left, 'SIGKILL');
    sleepMs(100);
    left = marked(runId);
  }
  removeContainers(runId, log);
  return first.length;
}

/** Containers of this run's drills (label agentdrill.run = the run id or a file's id under it). */
function removeContainers(runId, log) {
  try {
    const out = execFileSync('docker', ['ps', '-a', '--filter', 'label=agentdrill=1', '--format', '{{.ID}} {{.Label "agentdrill.run"}}'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 15_000,
    });
    const ours = out
      .split('\n')
      .map((line) => line.trim().split(' '))
      .filter(([id, run]) => id && run && (run === runId || run.startsWith(`${runId}.`)))
      .map(([id]) => id);
    if (ours.length === 0) return;
    execFileSync('docker', ['rm', '-f', '-v', ...ours], { stdio: 'ignore', timeout: 60_000 });
    log(`== sweep: removed ${ours.length} containers of this test run`);
  } catch {
    // no engine, or nothing to remove
  }
}
