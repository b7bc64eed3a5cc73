import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { provisionLocal } from '../../src/infra/local/index.ts';

/**
 * Warms the per-user cache once for the whole run, and afterwards fails the run if any Kafka,
 * Toxiproxy or fleet agent process it started is still alive.
 *
 * Only processes that are new since setup AND belong to this run are flagged, so parallel test
 * runs and unrelated brokers on the machine are left alone. "Belongs" = a descendant of this
 * process, or carrying this run's id in its environment (set here, inherited by the test workers
 * and everything they spawn), which still identifies an orphan reparented to init.
 */
// The example's own agents too (Python, Java, the stand-in): a foreign agent must not outlive a test either.
// Prometheus and Alertmanager of the detection drills too (Debian's binary is prometheus-alertmanager).
// A local Kubernetes cluster's every part names its folder (agentdrill-k8s-…) in its arguments.
const watched = ['agentdrill-k8s-', 'kafka.Kafka', 'toxiproxy', 'src/reference-fleet/agents', 'examples/payments', 'fraud_api.py', 'prometheus --config.file', 'alertmanager --config.file'];
const runVar = 'AGENTDRILL_TEST_RUN';
let runId = '';
let before = new Set<number>();
let dockerBefore = new Set<string>();

export async function setup(): Promise<void> {
  // The test command's marker when it set one (its exit sweep finds the run's processes by it).
  runId = process.env[runVar] || randomUUID();
  process.env[runVar] = runId;
  // Every drill of this run labels its containers with it: another run on the same engine (a CI
  // job, an engineer's test run) is then never taken for this run's leak, nor removed by it.
  process.env.AGENTDRILL_RUN_ID = runId;
  before = new Set(watchedProcesses().map((p) => p.pid));
  dockerBefore = new Set(labelledDockerResources().map((r) => r.id));
  await provisionLocal(settingsFromEnv(), (m) => console.log(`[provision] ${m}`));
}

export async function teardown(): Promise<void> {
  dockerLeftovers();
  // Grace for the tethers: a child whose harness died is terminated within ~1 s, killed after 5 s more.
  const deadline = Date.now() + 10_000;
  let leaked = leftovers();
  while (leaked.length > 0 && Date.now() < deadline) {
    await sleep(250);
    leaked = leftovers();
  }
  if (leaked.length === 0) return;
  for (const p of leaked) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  // Vitest only logs an error thrown from teardown ("error during close") and still exits 0.
  process.exitCode = 1;
  throw new Error(`Processes left behind by this test run (now killed):\n${leaked.map((p) => `  ${p.pid} ${p.args.slice(0, 200)}`).join('\n')}`);
}

interface ProcessInfo {
  pid: number;
  args: string;
}

function leftovers(): ProcessInfo[] {
  const ancestors = ancestorsOf(process.pid);
  return watchedProcesses().filter(
    (p) => !before.has(p.pid) && !ancestors.has(p.pid) && p.pid !== process.pid && (ownedByRun(p.pid) || isDescendant(p.pid)),
  );
}

function watchedProcesses(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = read(`/proc/${entry}/cmdline`).replaceAll('\0', ' ').trim();
    if (!args || !watched.some((w) => args.includes(w))) continue;
    if (stat(Number(entry))?.state === 'Z') continue;
    found.push({ pid: Number(entry), args });
  }
  return found;
}

function ownedByRun(pid: number): boolean {
  return read(`/proc/${pid}/environ`).split('\0').includes(`${runVar}=${runId}`);
}

function isDescendant(pid: number): boolean {
  for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
    const parent = stat(p)?.ppid;
    if (parent === process.pid) return true;
    if (parent === undefined) return false;
    p = parent;
  }
  return false;
}

function ancestorsOf(pid: number): Set<number> {
  const result = new Set<number>();
  for (let p = stat(pid)?.ppid; p !== undefined && p > 1 && !result.has(p); p = stat(p)?.ppid) result.add(p);
  return result;
}

function stat(pid: number): { state: string; ppid: number } | undefined {
  const text = read(`/proc/${pid}/stat`);
  if (!text) return undefined;
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', ppid: Number(fields[1]) };
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The docker provider labels everything agentdrill=1 and removes it at stop(); anything of this
 * run still there after the suite is a leak (Ryuk cannot run here to hide it). Resources that
 * existed before the run belong to someone else (another run on the same daemon) and are left be.
 * Skipped where no docker CLI answers.
 */
function dockerLeftovers(): void {
  const leaked = labelledDockerResources().filter((r) => !dockerBefore.has(r.id));
  if (leaked.length === 0) return;
  for (const r of leaked) {
    const rm = r.kind === 'container' ? ['rm', '-f', '-v', r.id] : [r.kind, 'rm', r.id];
    try {
      execFileSync('docker', rm, { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
  process.exitCode = 1;
  const count = (kind: string) => leaked.filter((r) => r.kind === kind).length;
  throw new Error(
    `Docker resources labelled agentdrill=1 left behind by this test run (now removed): ${count('container')} containers, ${count('network')} networks, ${count('volume')} volumes`,
  );
}

/** Labelled resources, less those another run claims (a drill with an AGENTDRILL_RUN_ID not under this run's; each test file has its own under it). */
function labelledDockerResources(): { kind: 'container' | 'network' | 'volume'; id: string }[] {
  const list = (kind: 'container' | 'network' | 'volume', args: string[]) => {
    try {
      const format = `${kind === 'volume' ? '{{.Name}}' : '{{.ID}}'} {{.Label "agentdrill.run"}}`;
      const out = execFileSync('docker', [...args, '--filter', 'label=agentdrill=1', '--format', format], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 15_000,
      });
      return out
        .split('\n')
        .map((line) => line.trim().split(' '))
        .filter(([id, run]) => id && (!run || run === runId || run.startsWith(`${runId}.`)))
        .map(([id]) => ({ kind, id: id! }));
    } catch {
      return [];
    }
  };
  return [...list('container', ['ps', '-a']), ...list('network', ['network', 'ls']), ...list('volume', ['volume', 'ls'])];
}
