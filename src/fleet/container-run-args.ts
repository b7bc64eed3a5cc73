import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../core/settings.ts';
import type { LaunchRequest, TeamImage } from './launcher.ts';

/** What every agent container shares: its name, network alias, labels, and its port published on 127.0.0.1 under the same number. */
export interface CommonRun {
  name: string;
  network: string;
  alias: string;
  labels: Record<string, string>;
  port: number;
}

/** Memory beyond the heap a Node agent needs (code, stacks, tsx's esbuild service); the limit is heapMb + this. */
export const containerOverheadMb = 64;

function commonArgs(c: CommonRun): string[] {
  return [
    'run',
    '--detach',
    '--name',
    c.name,
    '--network',
    c.network,
    '--network-alias',
    c.alias,
    ...Object.entries(c.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    '--publish',
    `127.0.0.1:${c.port}:${c.port}`,
  ];
}

const memoryArgs = (mb: number | undefined) => (mb ? ['--memory', `${mb}m`, '--memory-swap', `${mb}m`] : []);
const envArgs = (env: Record<string, string>) => Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
const volumeArgs = (mounts: Iterable<string>) => [...mounts].flatMap((m) => ['--volume', `${m}:${m}`]);

/**
 * One of our Node programs (the reference agents) in the agentdrill agent image: under node, its log and state
 * folders bind-mounted at the same paths, and a memory limit from heapMb so that a leak ends in
 * the kernel's OOM kill, not V8's.
 */
export function referenceRunArgs(c: CommonRun, image: string, request: LaunchRequest, configured: Record<string, string>): string[] {
  const mounts = new Set([path.dirname(request.logFile)]);
  if (configured.STATE_FILE) {
    mkdirSync(path.dirname(configured.STATE_FILE), { recursive: true });
    mounts.add(path.dirname(configured.STATE_FILE));
  }
  const env: Record<string, string> = {
    ...configured,
    ADMIN_PORT: String(request.adminPort),
    ADMIN_HOST: '0.0.0.0',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    AGENT_LOG_FILE: request.logFile,
  };
  // The kernel, not V8, must end a leaking agent: the heap may grow past the container's limit.
  const nodeArgs = request.heapMb ? `--max-old-space-size=${request.heapMb * 4} ` : '';
  // The image holds this repository at /app (agent-image.ts), so the program's path is the same relative to it.
  const program = path.relative(packageRoot, request.node?.script ?? '');
  const script = `exec node ${nodeArgs}--import tsx ${program} >>"$AGENT_LOG_FILE" 2>&1`;
  const limit = request.heapMb ? request.heapMb + containerOverheadMb : undefined;
  return [...commonArgs(c), ...memoryArgs(limit), ...volumeArgs(mounts), ...envArgs(env), '--entrypoint', '/bin/sh', image, '-c', script];
}

/**
 * A team's own image, run as production runs it: its own entrypoint and command, the fleet file's
 * environment (addresses rewritten as a container dials them), its memory limit, and the
 * instance's state folder bind-mounted at the same path (faults and `ctl exec` see the same files).
 */
export function teamRunArgs(c: CommonRun, image: TeamImage, env: Record<string, string>): string[] {
  for (const m of image.mounts) mkdirSync(m, { recursive: true });
  return [...commonArgs(c), ...memoryArgs(image.memoryMb), ...volumeArgs(image.mounts), ...envArgs(env), image.name];
}
