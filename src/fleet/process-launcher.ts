import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AgentdrillError } from '../core/errors.ts';
import { packageRoot } from '../core/settings.ts';
import { freePort } from '../core/ports.ts';
import type { ExitStatus, LaunchedInstance, Launcher, LaunchRequest } from './launcher.ts';
import { runBounded } from './run-bounded.ts';
import { pdeathsigArgv, watchGroup, type GroupWatch } from './tether.ts';

// Resolved from this module, not the cwd, so it works from any working directory and under vitest.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** Only what a Node process needs: the harness's own NODE_OPTIONS or test-runner variables stay out. */
const passedEnv = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LC_ALL'];

/**
 * Agents as local processes: a team's command, or one of our Node programs (`node --import tsx <script>`). Each runs detached in
 * its own process group, so a Ctrl-C at the harness's terminal reaches the harness only and
 * the supervisor decides how agents stop. Reference agents exit by themselves when the harness
 * is gone (PARENT_PID, with their own graceful shutdown); a team's program is tethered instead
 * (tether.ts), because it cannot be trusted to watch PARENT_PID.
 */
export function processLauncher(): Launcher {
  return {
    kind: 'process',
    allocatePort: () => freePort(),
    launch: (request) => Promise.resolve(launchProcess(request)),
    // Beside the process, as it was started: its folder and its declared environment.
    exec: (request, _running, argv, timeoutMs) =>
      runBounded(argv, { cwd: request.command?.cwd ?? packageRoot, env: { ...inheritedEnvironment(), ...request.env }, timeoutMs }),
  };
}

/**
 * What a program the harness starts inherits: the basics and the harness's own settings and run
 * markers, so an orphan stays attributable. Everything else comes from what its file declares.
 */
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (passedEnv.includes(name) || name.startsWith('AGENTDRILL_')) env[name] = value;
  }
  return env;
}

function nodeArgs(request: LaunchRequest): string[] {
  if (!request.node) throw new AgentdrillError('FLEET_FAILED', `${request.instanceId} has nothing to run`, { hint: 'a template gives a command, an image or a Node script' });
  return [...(request.heapMb ? [`--max-old-space-size=${request.heapMb}`] : []), '--import', tsxLoader, request.node.script];
}

function launchProcess(request: LaunchRequest): LaunchedInstance {
  mkdirSync(path.dirname(request.logFile), { recursive: true });
  const log = openSync(request.logFile, 'a');
  const env = inheritedEnvironment();
  Object.assign(
    env,
    request.env,
    // PARENT_PID lets any agent that wants it leave when the harness is gone; the rest is ours.
    request.command ? { PARENT_PID: String(process.pid) } : { ADMIN_PORT: String(request.adminPort), PARENT_PID: String(process.pid), KAFKAJS_NO_PARTITIONER_WARNING: '1' },
  );
  const cwd = request.command?.cwd ?? packageRoot;
  // A team's program runs as written, tethered; one of our Node programs runs under this Node.
  const [file, ...args] = request.command ? pdeathsigArgv(request.command.argv, cwd, env) : [process.execPath, ...nodeArgs(request)];
  let child;
  let group: GroupWatch | undefined;
  try {
    child = spawn(file!, args, { cwd, env, detached: true, stdio: ['ignore', log, log] });
    if (request.command && child.pid !== undefined) group = watchGroup(child.pid);
  } finally {
    closeSync(log);
  }
  const exited = new Promise<ExitStatus>((resolve) => {
    // Settles once the program's leftovers are killed too, so a restart never meets them (a port still bound).
    child.once('exit', (code, signal) => void (group?.release() ?? Promise.resolve()).then(() => resolve({ code, signal })));
    child.once('error', (e) => resolve({ code: null, signal: null, error: e.message }));
  });
  return {
    pid: child.pid,
    adminUrl: `http://127.0.0.1:${request.adminPort}`,
    exited,
    signal(signal) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return false;
      try {
        process.kill(child.pid, signal);
        return true;
      } catch {
        return false;
      }
    },
  };
}
