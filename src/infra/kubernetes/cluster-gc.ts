import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { processAlive } from '../local/child-process.ts';
import { sweepFootprint, type ClusterFootprint, type Leftovers } from './host-sweep.ts';

/** In every cluster's folder: what it put on the machine, and whose it is. */
const footprintFile = 'agentdrill-cluster.json';

const footprintSchema = z.object({ dir: z.string(), cgroupRoot: z.string().startsWith('/agentdrill-k8s-'), bridge: z.string().min(1), ip: z.string().min(1), owner: z.number().int().positive() });

/** The cluster's deepest unix socket, under its folder; the kernel takes at most 108 bytes, containerd 104. */
const deepestSocket = 'agentdrill-k8s-00000000-000000/containerd/containerd-ttrpc.sock';

/**
 * Where a cluster's folder goes: the temp folder, unless its path is so long that containerd's
 * sockets would not fit in a unix socket path (a nested CI temp folder), then /tmp.
 */
export function clusterParentDir(tmpDir: string = os.tmpdir()): string {
  return path.join(tmpDir, deepestSocket).length <= 100 ? tmpDir : '/tmp';
}

/** Every folder a cluster may be in: what gc searches. */
function clusterParentDirs(): string[] {
  return [...new Set([os.tmpdir(), clusterParentDir()])];
}

export function writeFootprintFile(f: ClusterFootprint): void {
  fs.writeFileSync(path.join(f.dir, footprintFile), JSON.stringify({ dir: f.dir, cgroupRoot: f.cgroupRoot, bridge: f.bridge, ip: f.ip, owner: process.pid }));
}

export interface ClusterGarbage {
  /** Clusters whose harness is gone, swept; `left` is what even the sweep could not remove. */
  removed: { dir: string; left: Leftovers }[];
  /** Clusters whose harness still runs: a drill in progress, not touched. */
  running: string[];
}

/**
 * The clusters a dead harness left on this machine, found by their folders in the temp folder and swept
 * as their own stop would (processes, containers, cgroups, bridge, mounts, folder). Normally the
 * harness's exit handler or its reaper does this; gc is for when both were killed at once
 * (`kill -9` of the whole process group, the machine's OOM killer).
 */
export function collectClusterGarbage(parents: readonly string[] = clusterParentDirs()): ClusterGarbage {
  const found: ClusterGarbage = { removed: [], running: [] };
  const dirs = parents.flatMap((parent) => {
    try {
      return fs.readdirSync(parent).filter((n) => n.startsWith('agentdrill-k8s-')).map((n) => path.join(parent, n));
    } catch {
      return [];
    }
  });
  for (const dir of dirs) {
    // Other agentdrill-k8s-* folders (a test's work dir) have no footprint: not clusters.
    const parsed = footprintSchema.safeParse(readJson(path.join(dir, footprintFile)));
    if (!parsed.success || parsed.data.dir !== dir) continue;
    const { owner, ...footprint } = parsed.data;
    if (processAlive(owner)) {
      found.running.push(dir);
      continue;
    }
    const mountNamespace = readText(path.join(dir, 'node-mount-namespace'));
    found.removed.push({ dir, left: sweepFootprint({ ...footprint, ...(mountNamespace ? { mountNamespace } : {}) }) });
  }
  return found;
}

function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
