import { mkdirSync } from 'node:fs';
import type { TeamImage } from './launcher.ts';

/** What every agent container shares: its name, network alias, labels, and its port published on 127.0.0.1 under the same number. */
export interface CommonRun {
  name: string;
  network: string;
  alias: string;
  labels: Record<string, string>;
  port: number;
}

/** Memory beyond the heap a managed runtime needs (code, stacks, native buffers); a container's limit is heapMb + this unless the agent declares `memory:`. */
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
 * A team's own image, run as production runs it: its own entrypoint and command, the fleet file's
 * environment (addresses rewritten as a container dials them), its memory limit, and the
 * instance's state folder bind-mounted at the same path (faults and `ctl exec` see the same files).
 */
export function teamRunArgs(c: CommonRun, image: TeamImage, env: Record<string, string>): string[] {
  for (const m of image.mounts) mkdirSync(m, { recursive: true });
  return [...commonArgs(c), ...memoryArgs(image.memoryMb), ...volumeArgs(image.mounts), ...envArgs(env), image.name];
}
