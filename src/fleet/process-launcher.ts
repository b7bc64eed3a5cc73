import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { AgentdrillError } from '../core/errors.ts';
import { packageRoot } from '../core/settings.ts';
import { freePort } from '../core/ports.ts';
import type { ExitStatus, LaunchedInstance, Launcher, LaunchRequest } from './launcher.ts';
import { runBounded } from './run-bounded.ts';
import { pdeathsigArgv, watchGroup, type GroupWatch } from './tether.ts';

/** What any program needs from the harness's environment: its NODE_OPTIONS or test-runner variables stay out. */
const passedEnv = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LC_ALL'];

/**
 * Agents as local processes: a fleet file's command. Each runs detached in its own process
 * group, so a Ctrl-C at the harness's terminal reaches the harness only and the supervisor
 * decides how agents stop. Each is tethered (tether.ts): a program cannot be trusted to watch
 * PARENT_PID, though it is given it.
 */
export function processLauncher(): Launcher {
  return {
    kind: 'process',
    allocatePort: () => freePort(),
    launch: async (request) => launchProcess(request),
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


function launchProcess(request: LaunchRequest): LaunchedInstance {
  const command = request.command;
  if (!command) throw new AgentdrillError('FLEET_FAILED', `${request.instanceId} has nothing to run`, { hint: 'its fleet file gives the agent a command: (or an image: under --provider docker)' });
  mkdirSync(path.dirname(request.logFile), { recursive: true });
  const log = openSync(request.logFile, 'a');
  const env = inheritedEnvironment();
  Object.assign(
    env,
    request.env,
    // PARENT_PID lets any agent that wants it leave when the harness is gone; the tether does it for the rest.
    { PARENT_PID: String(process.pid) },
  );
  const cwd = command.cwd;
  // The program runs as written, tethered.
  const [file, ...args] = pdeathsigArgv(command.argv, cwd, env);
  let child;
  let group: GroupWatch | undefined;
  try {
    child = spawn(file!, args, { cwd, env, detached: true, stdio: ['ignore', log, log] });
    if (child.pid !== undefined) group = watchGroup(child.pid);
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
