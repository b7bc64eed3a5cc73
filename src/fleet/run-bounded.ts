import { spawn } from 'node:child_process';

/** A short command the harness runs beside an instance: how it ended and the tail of what it said. */
export interface BoundedRun {
  exitCode: number | null;
  /** Both streams interleaved, the last `keepChars` only. */
  output: string;
  timedOut: boolean;
  /** Set when it could not be started at all. */
  error?: string;
}

/**
 * Runs a command to its end within `timeoutMs`: a non-zero exit is a result, not an error. Own
 * process group, killed whole on timeout, so its children cannot outlive the drill; output kept
 * bounded, so a chatty command cannot grow the harness.
 */
export function runBounded(argv: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; keepChars?: number }): Promise<BoundedRun> {
  const keepChars = options.keepChars ?? 4000;
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-keepChars);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, options.timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ exitCode: null, output: '', timedOut: false, error: `could not run ${argv[0]}: ${e.message}` });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, output: output.trim(), timedOut });
    });
  });
}
