import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { AgentdrillError } from '../../core/errors.ts';
import { isExecutableFile } from '../../infra/local/host-tools.ts';
import type { Progress } from '../../infra/provider.ts';
import type { FleetDefinition } from '../definition/schema.ts';
import { logTail } from '../log-tail.ts';

/** A first build (a venv from PyPI, a compile) takes minutes on a busy machine; a cached one, milliseconds. */
export const setupTimeoutMs = 20 * 60_000;

/**
 * Runs the fleet file's `setup:` commands in order, each in its own process group (killed with
 * it on timeout or Ctrl-C), output to `<logDir>/setup-<n>.log`; then checks that every program
 * a setup step was to build now exists.
 */
export async function runFleetSetup(args: { fleet: FleetDefinition; deferredCommands: readonly string[]; logDir: string; signal: AbortSignal; progress: Progress }): Promise<void> {
  const { fleet } = args;
  mkdirSync(args.logDir, { recursive: true });
  for (const [i, step] of fleet.setup.entries()) {
    // An abort before this step started fires no event the step could hear.
    if (args.signal.aborted) throw new AgentdrillError('INTERRUPTED', 'drill interrupted during the fleet setup', { hint: 'everything it started has been stopped' });
    const cwd = path.resolve(fleet.dir, step.cwd ?? '.');
    const logFile = path.join(args.logDir, `setup-${i + 1}.log`);
    const started = Date.now();
    args.progress(`setup: ${step.argv.join(' ')} (in ${path.relative(process.cwd(), cwd) || '.'})`);
    const status = await runStep(step.argv, cwd, logFile, args.signal);
    if (args.signal.aborted) throw new AgentdrillError('INTERRUPTED', 'drill interrupted during the fleet setup', { hint: 'everything it started has been stopped' });
    if (status !== 0) {
      throw new AgentdrillError('FLEET_FAILED', `setup step ${i + 1} of ${fleet.file} (${step.argv.join(' ')}) ${status === 'timeout' ? `ran past ${setupTimeoutMs / 60_000} min` : `exited ${status}`}:\n${await logTail(logFile)}`, {
        // The log sits in the drill's work dir, which teardown removes: its tail is quoted above.
        hint: `run it by hand in ${cwd} to see the whole output: ${step.argv.join(' ')}`,
        context: { file: fleet.file, log: logFile },
      });
    }
    args.progress(`setup: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const missing = args.deferredCommands.filter((file) => !isExecutableFile(file));
  if (missing.length > 0) {
    throw new AgentdrillError('FLEET_INVALID', `after setup, ${missing.join(', ')} still ${missing.length === 1 ? 'is' : 'are'} not an executable file`, {
      hint: `the setup: steps of ${fleet.file} should build ${missing.length === 1 ? 'it' : 'them'}; run them by hand to see their output`,
      context: { file: fleet.file },
    });
  }
}

function runStep(argv: string[], cwd: string, logFile: string, signal: AbortSignal): Promise<number | 'timeout'> {
  const log = openSync(logFile, 'a');
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, setupTimeoutMs);
    signal.addEventListener('abort', killGroup, { once: true });
    const done = (code: number) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', killGroup);
      resolve(timedOut ? 'timeout' : code);
    };
    child.once('exit', (code, sig) => done(code ?? (sig ? 128 : 1)));
    child.once('error', () => done(127));
  });
}
