import { spawn } from 'node:child_process';
import { AgentdrillError, type ErrorCode } from '../../core/errors.ts';
import { findExecutable, indent, tailLines } from '../local/host-tools.ts';

export interface DockerRunOptions {
  /** What the command does, for the error message. */
  what: string;
  timeoutMs?: number;
  /** Each output line as it arrives (long builds print progress). */
  onLine?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  errorCode?: ErrorCode;
  /** Data piped to the command's stdin (e.g. `docker import -`). */
  stdin?: NodeJS.ReadableStream;
}

/**
 * The docker CLI, for what testcontainers does not cover (networks with labels, image builds and
 * imports, gc by label). It honors DOCKER_HOST like testcontainers does, so both see one engine.
 */
export function docker(args: string[], o: DockerRunOptions): Promise<string> {
  const bin = findExecutable('docker');
  if (!bin) {
    return Promise.reject(
      new AgentdrillError('TOOL_MISSING', '`docker` was not found on PATH; the docker provider needs the Docker CLI', {
        hint: 'apt-get install -y docker.io (or install Docker Desktop), or use --provider local',
      }),
    );
  }
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: o.env ?? process.env, stdio: [o.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    let partial = '';
    const keep = (chunk: Buffer, isStdout: boolean) => {
      const text = chunk.toString('utf8');
      if (isStdout) stdout += text;
      output = (output + text).slice(-32_000);
      if (!o.onLine) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) o.onLine(l);
    };
    child.stdout?.on('data', (c: Buffer) => keep(c, true));
    child.stderr?.on('data', (c: Buffer) => keep(c, false));
    if (o.stdin && child.stdin) o.stdin.pipe(child.stdin);
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 120_000);
    const fail = (message: string, cause?: unknown) =>
      reject(
        new AgentdrillError(o.errorCode ?? 'INFRA_START_FAILED', `${o.what} failed: ${message}\n${indent(tailLines(output, 20))}`, {
          context: { command: ['docker', ...args].join(' ') },
          cause,
        }),
      );
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(e.message, e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else fail(signal === 'SIGKILL' ? 'timed out' : `exit code ${code ?? signal}`);
    });
  });
}

/** True when the image exists in the engine (`docker image inspect` answers). */
export async function imageExists(tag: string): Promise<boolean> {
  return docker(['image', 'inspect', '--format', '{{.Id}}', tag], { what: `Inspecting ${tag}`, timeoutMs: 30_000 }).then(
    () => true,
    () => false,
  );
}
