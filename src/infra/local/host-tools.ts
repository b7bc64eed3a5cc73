import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AgentdrillError, type ErrorCode } from '../../core/errors.ts';

export type HostTool = 'java' | 'mvn' | 'go';

const installHints: Record<HostTool, string> = {
  java:
    'Install a Java 17+ runtime, e.g. `apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) or ' +
    '`brew install openjdk@17`, or set JAVA_HOME',
  mvn:
    'Install Maven, e.g. `apt-get install -y maven` or `brew install maven`; or set AGENTDRILL_KAFKA_HOME ' +
    'to an unpacked Kafka distribution to skip Maven',
  go:
    'Install Go 1.22+, e.g. `apt-get install -y golang` or from https://go.dev/dl; or set ' +
    'AGENTDRILL_TOXIPROXY_BIN to an existing toxiproxy-server binary to skip the build',
};

export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Absolute path of a host tool, or TOOL_MISSING saying how to get it. `purpose` says why it is needed. */
export function requireTool(tool: HostTool, purpose: string, env: NodeJS.ProcessEnv = process.env): string {
  // Kafka's own scripts prefer JAVA_HOME over PATH; do the same so users get the Java they chose.
  if (tool === 'java' && env.JAVA_HOME) {
    const fromHome = path.join(env.JAVA_HOME, 'bin', 'java');
    if (isExecutableFile(fromHome)) return fromHome;
  }
  const found = findExecutable(tool, env);
  if (found) return found;
  throw new AgentdrillError('TOOL_MISSING', `\`${tool}\` was not found on PATH; it is needed to ${purpose}`, {
    hint: installHints[tool],
    context: { tool },
  });
}

export interface RunToolOptions {
  /** Default: the current directory. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** What the command does, for the error message ("Resolving Kafka 4.1.1 jars with Maven"). */
  what: string;
  hint?: string;
  timeoutMs: number;
  errorCode?: ErrorCode;
  /** Each non-empty output line as it arrives (long builds print progress). */
  onLine?: (line: string) => void;
  /** Data piped to the tool's stdin (e.g. `docker import -`). */
  stdin?: NodeJS.ReadableStream;
}

export interface ToolOutput {
  /** Standard output alone, whole: what callers parse. */
  stdout: string;
  /** Both streams interleaved, the tail only: what an error quotes. */
  output: string;
}

/** Runs a short-lived tool to completion; returns both streams' output (Maven, Go, debootstrap). */
export async function runTool(file: string, args: string[], options: RunToolOptions): Promise<string> {
  return (await runToolOutput(file, args, options)).output;
}

/** Runs a short-lived tool to completion; on failure the error quotes the tail of its output. */
export function runToolOutput(file: string, args: string[], options: RunToolOptions): Promise<ToolOutput> {
  const code = options.errorCode ?? 'PROVISION_FAILED';
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    let partial = '';
    const keep = (chunk: Buffer, isStdout: boolean) => {
      const text = chunk.toString('utf8');
      if (isStdout) stdout += text;
      // Bounded: Maven can be chatty, and only the tail is ever shown.
      output = (output + text).slice(-64_000);
      if (!options.onLine) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) options.onLine(line);
    };
    child.stdout?.on('data', (c: Buffer) => keep(c, true));
    child.stderr?.on('data', (c: Buffer) => keep(c, false));
    if (options.stdin && child.stdin) {
      // A tool that quits before reading all of it (`docker import` with no daemon) breaks the pipe:
      // its exit status says why, so EPIPE here is not a crash of ours.
      child.stdin.on('error', () => undefined);
      options.stdin.pipe(child.stdin);
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    const fail = (message: string, cause?: unknown) =>
      reject(
        new AgentdrillError(code, `${options.what} failed: ${message}\n${indent(tailLines(output, 30))}`, {
          ...(options.hint ? { hint: options.hint } : {}),
          context: { command: [file, ...args].join(' '), ...(options.cwd ? { cwd: options.cwd } : {}) },
          cause,
        }),
      );
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(e.message, e);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      if (exitCode === 0) resolve({ stdout, output });
      else if (signal === 'SIGKILL') fail(`timed out after ${Math.round(options.timeoutMs / 1000)} s`);
      else fail(`exit code ${exitCode ?? signal}`);
    });
  });
}

export function tailLines(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/** Last lines of a log file; empty when it does not exist (the process may have died before writing). */
export function tailFile(file: string, lines: number): string {
  try {
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    try {
      const length = Math.min(size, 64_000);
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, size - length);
      return tailLines(buffer.toString('utf8'), lines);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

export function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** Single-quotes a value for POSIX sh. */
export function shQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
