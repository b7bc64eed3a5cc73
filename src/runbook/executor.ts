import { spawn } from 'node:child_process';
import type { Clock } from '../core/clock.ts';

/** The part of a parsed runbook step the executor needs. */
export interface ExecutableStep {
  name: string;
  lang: string;
  command: string | undefined;
  manual: boolean;
  timeoutMs: number | undefined;
}

export interface StepResult {
  startedAt: number;
  endedAt: number;
  /** null when the step was manual, timed out or was killed by a signal. */
  exitCode: number | null;
  timedOut: boolean;
  output: string;
}

export interface StepRunOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  clock: Clock;
  defaultTimeoutMs: number;
  /** Aborts a running step (drill interrupted or out of time). */
  signal?: AbortSignal;
  /** Output kept per step; the middle of longer output is elided. */
  outputLimitBytes?: number;
}

const shells: Record<string, string> = { sh: 'sh', bash: 'bash', console: 'bash', shell: 'bash', zsh: 'bash' };

/**
 * Runs one shell step as on-call would type it: in its own process group (so a timeout kills
 * pipelines and children too), stdout and stderr interleaved as a terminal shows them.
 */
export function runStep(step: ExecutableStep, options: StepRunOptions): Promise<StepResult> {
  const startedAt = options.clock.now();
  if (step.manual || step.command === undefined) {
    return Promise.resolve({ startedAt, endedAt: startedAt, exitCode: null, timedOut: false, output: '' });
  }
  const shell = shells[step.lang] ?? 'bash';
  const output = new BoundedOutput(options.outputLimitBytes ?? 64 * 1024);
  const child = spawn(shell, ['-c', step.command], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => output.append(d));
  child.stderr.on('data', (d: Buffer) => output.append(d));
  let timedOut = false;
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, step.timeoutMs ?? options.defaultTimeoutMs);
  options.signal?.addEventListener('abort', killGroup, { once: true });
  return new Promise((resolve) => {
    const finish = (exitCode: number | null, extra?: string) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', killGroup);
      if (extra) output.append(Buffer.from(extra));
      resolve({ startedAt, endedAt: options.clock.now(), exitCode: timedOut ? null : exitCode, timedOut, output: output.text() });
    };
    child.once('error', (e) => finish(null, `\n[agentdrill] could not start ${shell}: ${e.message}\n`));
    child.once('close', (code) => finish(code));
  });
}

/** Keeps the head and the tail of long output: the start says what ran, the end says how it ended. */
export class BoundedOutput {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail = Buffer.alloc(0);
  private dropped = 0;

  constructor(private readonly limit: number) {}

  append(chunk: Buffer): void {
    const half = Math.floor(this.limit / 2);
    if (this.headBytes < half) {
      const take = chunk.subarray(0, half - this.headBytes);
      this.head.push(take);
      this.headBytes += take.length;
      chunk = chunk.subarray(take.length);
    }
    if (chunk.length === 0) return;
    const combined = Buffer.concat([this.tail, chunk]);
    const keep = this.limit - half;
    this.dropped += Math.max(0, combined.length - keep);
    this.tail = combined.subarray(Math.max(0, combined.length - keep));
  }

  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const gap = this.dropped > 0 ? `\n[… ${this.dropped} bytes elided …]\n` : '';
    return head + gap + this.tail.toString('utf8');
  }
}
