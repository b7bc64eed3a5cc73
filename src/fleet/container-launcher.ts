import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../core/ports.ts';
import { docker } from '../infra/docker/docker-cli.ts';
import { drillLabels } from '../infra/docker/labels.ts';
import { findExecutable } from '../infra/local/host-tools.ts';
import { AgentdrillError } from '../core/errors.ts';
import { teamRunArgs } from './container-run-args.ts';
import { runBounded } from './run-bounded.ts';
import type { ExitStatus, LaunchedInstance, Launcher, LaunchRequest } from './launcher.ts';
import { cgroupWatch, type CgroupMemory } from './oom/cgroup-memory.ts';
import type { EngineOomEvents } from './oom/engine-events.ts';
import { kernelLogSawOomKill } from './oom/kernel-log.ts';
import { judgeOom, type OomSignals } from './oom/oom-signals.ts';

export interface ContainerLauncherOptions {
  /** The drill's network: Kafka and Toxiproxy are reachable on it by container name. */
  network: string;
  drillId: string;
  runId?: string | undefined;
  /** Container names are `<namePrefix>-<instanceId>-<n>`. */
  namePrefix: string;
  /**
   * host:port as the harness dials it → host:port as a container dials it (Kafka's published
   * listener → its in-network listener, a Toxiproxy port published on 127.0.0.1 → the Toxiproxy
   * container). Applied to every environment value; other instances' admin ports are added here.
   */
  addresses: Record<string, string>;
  /** The engine's `oom` event stream for this drill's containers, one witness of an OOM kill. */
  oomEvents?: EngineOomEvents;
}

/**
 * Agents as containers, one per instance, with the docker CLI: on the drill's network, labelled
 * like every drill resource, the admin port published on 127.0.0.1 under the same number, state
 * and log folders bind-mounted at the same paths (the harness reads and corrupts the same files),
 * and a memory limit from heapMb so an OOM is the kernel's (exit 137, OOMKilled). Signals are
 * `docker kill -s`; the exit status is the engine's (`docker wait`, then `docker inspect`).
 */
export function containerLauncher(options: ContainerLauncherOptions): Launcher {
  const addresses = new Map(Object.entries(options.addresses));
  let launches = 0;
  return {
    kind: 'container',
    allocatePort: () => freePort(),
    async launch(request) {
      const alias = request.instanceId.replace(/[^A-Za-z0-9_.-]/g, '-');
      addresses.set(`127.0.0.1:${request.adminPort}`, `${alias}:${request.adminPort}`);
      const name = `${options.namePrefix}-${alias}-${++launches}`;
      return launchContainer(options, request, { name, alias, env: translateAddresses(request.env, addresses) });
    },
    async exec(request, running, argv, timeoutMs) {
      // Inside the container, with the environment it was given; a container that has exited has nowhere to run it.
      if (!running?.container) return { exitCode: null, output: '', timedOut: false, error: `${request.instanceId} has no running container (it has exited or is restarting)` };
      return runBounded(['docker', 'exec', running.container.id, ...argv], { cwd: process.cwd(), env: process.env, timeoutMs });
    },
  };
}

/** Every known host address in the values, rewritten as a container dials it. */
export function translateAddresses(env: Record<string, string>, addresses: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    let v = value;
    // host:port never matches a longer port (127.0.0.1:1234 is not in 127.0.0.1:12345).
    for (const [from, to] of addresses) v = v.replace(new RegExp(`${from.replace(/[.]/g, '\\.')}(?!\\d)`, 'g'), to);
    out[key] = v;
  }
  return out;
}

async function launchContainer(
  options: ContainerLauncherOptions,
  request: LaunchRequest,
  c: { name: string; alias: string; env: Record<string, string> },
): Promise<LaunchedInstance> {
  mkdirSync(path.dirname(request.logFile), { recursive: true });
  const common = {
    name: c.name,
    network: options.network,
    alias: c.alias,
    labels: { ...drillLabels(options), 'agentdrill.instance': request.instanceId },
    port: request.adminPort,
  };
  // A fleet file's agents bring their own images; one without runs as a process beside the harness (team-fleet.ts).
  if (!request.image) throw new AgentdrillError('FLEET_FAILED', `${request.instanceId} has no image to run as a container`, { hint: 'give the agent an image: in its fleet file' });
  const args = teamRunArgs(common, request.image, c.env);
  const adminUrl = `http://127.0.0.1:${request.adminPort}`;
  let id: string;
  try {
    id = (await docker(args, { what: `Starting container ${c.name}`, timeoutMs: 60_000 })).trim();
  } catch (e) {
    await docker(['rm', '--force', c.name], { what: `Removing ${c.name}` }).catch(() => undefined);
    return { pid: undefined, adminUrl, exited: Promise.resolve({ code: null, signal: null, error: (e as Error).message }), signal: () => false };
  }
  // The engine's own figures: the host pid (the sampler reads its memory in /proc) and the limit it enforces.
  const [pidText, memoryText] = (await docker(['inspect', '--format', '{{.State.Pid}} {{.HostConfig.Memory}}', id], { what: `Inspecting ${c.name}` }).catch(() => ''))
    .trim()
    .split(/\s+/);
  const pid = Number(pidText) || undefined;
  const memoryBytes = Number(memoryText) || 0;
  const container = {
    id,
    name: c.name,
    ...(memoryBytes > 0 ? { memoryLimitMb: Math.round(memoryBytes / 1024 / 1024) } : {}),
    ...(request.image ? { workingSet: true as const } : {}),
  };
  // A team's image writes to its own stdout; the log file is what the harness reads (failures quote its tail).
  if (request.image) followLogs(id, request.logFile);
  let done = false;
  let sentSignal: string | undefined;
  const cgroup = cgroupWatch(pid);
  const exited = waitForExit(id, c.name, { pid, cgroup, oomEvents: options.oomEvents, sentSignal: () => sentSignal }).then((status) => {
    done = true;
    return status;
  });
  return {
    pid,
    container,
    adminUrl,
    exited,
    signal(signal) {
      if (done) return false;
      const bin = findExecutable('docker');
      if (!bin) return false;
      sentSignal = signal;
      spawn(bin, ['kill', '--signal', signal, id], { stdio: 'ignore' }).on('error', () => undefined);
      return true;
    },
  };
}

interface ExitWitnesses {
  pid: number | undefined;
  cgroup: ReturnType<typeof cgroupWatch>;
  oomEvents: EngineOomEvents | undefined;
  sentSignal: () => string | undefined;
}

/** `docker wait` until it ends, then the exit code and the OOM judgement; the container is removed after. */
async function waitForExit(id: string, name: string, w: ExitWitnesses): Promise<ExitStatus> {
  let status: ExitStatus;
  try {
    await docker(['wait', id], { what: `Waiting for ${name}`, timeoutMs: 7 * 24 * 3600_000 });
    const cgroupLast = await w.cgroup.stop();
    const inspect = async () => (await docker(['inspect', '--format', '{{.State.ExitCode}} {{.State.OOMKilled}}', id], { what: `Inspecting ${name}` })).trim().split(/\s+/);
    const [code, flag] = await inspect();
    const exitCode = Number(code);
    const signal = exitCode > 128 ? signalName(exitCode - 128) : null;
    if (exitCode !== 137) {
      status = { code: exitCode, signal, oomKilled: false };
    } else {
      const signals = await oomWitnesses(id, w, flag === 'true', cgroupLast, inspect);
      const judgement = judgeOom(exitCode, signals);
      const sent = w.sentSignal();
      status = {
        code: exitCode,
        signal,
        oomKilled: judgement.oomKilled,
        oomEvidence: {
          saw: judgement.saw,
          sawNone: judgement.sawNone,
          disagree: judgement.disagree,
          ...(sent ? { sentSignal: sent } : {}),
          ...(cgroupLast ? { cgroup: cgroupLast } : {}),
        },
      };
    }
  } catch (e) {
    // Removed under us (infra gc, teardown by label): gone all the same.
    w.cgroup.stop().catch(() => undefined);
    status = { code: null, signal: null, error: (e as Error).message.split('\n')[0] };
  }
  await docker(['rm', '--force', id], { what: `Removing ${name}` }).catch(() => undefined);
  return status;
}

/**
 * Every witness of a SIGKILL exit. The engine's flag and its event can trail the exit on a busy
 * machine, so while none has seen an OOM kill they are asked again for up to ~2 s; a kill the
 * harness sent itself needs no such wait when the kernel log, which is synchronous, saw nothing.
 */
async function oomWitnesses(
  id: string,
  w: ExitWitnesses,
  firstFlag: boolean,
  cgroupLast: CgroupMemory | undefined,
  inspect: () => Promise<string[]>,
): Promise<OomSignals> {
  const signals: OomSignals = { engineFlag: firstFlag };
  if (cgroupLast && cgroupLast.oomKills > 0) signals.cgroupOomKill = true;
  const kernel = await kernelLogSawOomKill(id, w.pid);
  if (kernel !== undefined) signals.kernelLog = kernel;
  const event = await w.oomEvents?.saw(id);
  if (event !== undefined) signals.engineEvent = event;
  const sentKill = w.sentSignal() === 'SIGKILL';
  for (let attempt = 0; attempt < 8 && !(sentKill && kernel === false); attempt++) {
    if (signals.engineFlag && signals.engineEvent !== false) break;
    await new Promise((r) => setTimeout(r, 250));
    if (!signals.engineFlag) signals.engineFlag = (await inspect().catch(() => []))[1] === 'true';
    const again = await w.oomEvents?.saw(id);
    if (again !== undefined) signals.engineEvent = again;
    if (signals.engineFlag && signals.engineEvent !== false) break;
  }
  return signals;
}

function signalName(n: number): string | null {
  const names: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 6: 'SIGABRT', 9: 'SIGKILL', 15: 'SIGTERM' };
  return names[n] ?? null;
}

/** `docker logs --follow` into the instance's log file; it ends by itself with the container. */
function followLogs(id: string, logFile: string): void {
  const bin = findExecutable('docker');
  if (!bin) return;
  const log = openSync(logFile, 'a');
  try {
    spawn(bin, ['logs', '--follow', id], { stdio: ['ignore', log, log] }).on('error', () => undefined);
  } finally {
    closeSync(log);
  }
}
