import fs from 'node:fs';
import { cgroupTreeExists, killCgroupTree, killMountNamespace, killProcessesMentioning, mountsUnder, processesMentioning, removeCgroupTree, sleepSync, unmountUnder } from './host-cleanup.ts';
import { bridgePorts, deleteBridge, interfaceExists } from './node-network.ts';

/** What a cluster put on the machine, by name: enough to remove it from any exit path. */
export interface ClusterFootprint {
  dir: string;
  cgroupRoot: string;
  bridge: string;
  ip: string;
  /** Set once containerd runs. */
  mountNamespace?: string;
  /** The pods' host-side veths seen at sweep time: they go with the pods' network namespaces. */
  podInterfaces?: string[];
}

export interface Leftovers {
  processes: string[];
  mounts: string[];
  cgroups: string[];
  interfaces: string[];
  dirs: string[];
}

/**
 * Removes everything of the footprint, synchronously and bounded (about 5 s at worst): every
 * process that names the cluster's folder (control plane, kubelet, containerd, shims), every
 * process left in the node's mount namespace, every container in its cgroups; then the cgroups,
 * the bridge, any mount and the folder. Safe to run twice and on a half-started cluster.
 */
export function sweepFootprint(f: ClusterFootprint): Leftovers {
  for (let round = 0; round < 20; round++) {
    const signalled = killProcessesMentioning(f.dir) + (f.mountNamespace ? killMountNamespace(f.mountNamespace) : 0) + killCgroupTree(f.cgroupRoot);
    if (signalled === 0) break;
    sleepSync(100);
  }
  for (let round = 0; round < 20 && removeCgroupTree(f.cgroupRoot).length > 0; round++) sleepSync(100);
  f.podInterfaces = bridgePorts(f.ip, f.bridge);
  deleteBridge(f.ip, f.bridge);
  // The kernel removes a dead network namespace's veths asynchronously; give it a few seconds.
  for (let round = 0; round < 50 && f.podInterfaces.some(interfaceExists); round++) sleepSync(200);
  unmountUnder(f.dir);
  if (mountsUnder(f.dir).length === 0) fs.rmSync(f.dir, { recursive: true, force: true });
  return leftoversOf(f);
}

export function leftoversOf(f: ClusterFootprint): Leftovers {
  return {
    processes: processesMentioning(f.dir).map((p) => `${p.pid} ${p.args.slice(0, 160)}`),
    mounts: mountsUnder(f.dir),
    cgroups: cgroupTreeExists(f.cgroupRoot),
    interfaces: [f.bridge, ...(f.podInterfaces ?? [])].filter(interfaceExists),
    dirs: fs.existsSync(f.dir) ? [f.dir] : [],
  };
}

export function isClean(l: Leftovers): boolean {
  return Object.values(l).every((list) => list.length === 0);
}
