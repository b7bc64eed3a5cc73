import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const cliPath = path.join(repoRoot, 'bin', 'agentdrill.mjs');

export interface CliRun {
  child: ChildProcess;
  /** Marker in the environment of the CLI and everything it starts. */
  marker: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the CLI exactly as a user would (`node bin/agentdrill.mjs ...`). */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const marker = randomUUID();
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env, AGENTDRILL_TEST_MARKER: marker },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, marker, stdout: () => out, stderr: () => err, exit };
}

export async function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const run = startCli(args, options);
  const { code } = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr(), marker: run.marker };
}

/** Live processes whose environment carries the marker: what a run left behind. */
export function processesWithMarker(marker: string): { pid: number; args: string }[] {
  const found: { pid: number; args: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.startsWith('Z')) continue;
      const env = fs.readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (!env.split('\0').includes(`AGENTDRILL_TEST_MARKER=${marker}`)) continue;
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      // An empty command line is a process past the stat check above that has since begun to
      // exit (its memory, and with it argv, is gone): nothing is left of it to name or to leave.
      if (args === '') continue;
      found.push({ pid: Number(entry), args });
    } catch {
      // gone while we looked
    }
  }
  return found;
}

export async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return predicate();
}

/**
 * Runs the CLI and watches the process table while it runs, for a command that must start
 * nothing (a dry run): a check made afterwards would miss what started and stopped again. The
 * CLI's own helpers (tsx's esbuild service, `git log` for revisions) are not counted.
 */
export async function runWatchingChildren(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string; children: string[] }> {
  const run = startCli(args, options);
  const children = new Set<string>();
  let done = false;
  void run.exit.then(() => (done = true));
  // A child caught between fork and exec still shows the CLI's own command line: not a start.
  const own = `${[process.execPath, cliPath, ...args].join(' ')} `;
  for (let i = 0; i < 600 && !done; i++) {
    for (const p of processesWithMarker(run.marker)) if (p.pid !== run.child.pid && p.args !== own && !/esbuild --service|^git /.test(p.args)) children.add(p.args);
    await new Promise((r) => setTimeout(r, 25));
  }
  const { code } = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr(), children: [...children] };
}
