import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mountsUnder, mountTable } from '../local/mounts.ts';

/**
 * Everything here is synchronous: it runs from stop() and also from the process's exit hook,
 * where nothing asynchronous runs any more (an error or a signal ends the harness mid-drill).
 */

/** Mount points of every cgroup hierarchy (v1 controllers and a hybrid cgroup2). */
export function cgroupMounts(): string[] {
  return mountTable()
    .filter((m) => m.fsType === 'cgroup' || m.fsType === 'cgroup2')
    .map((m) => m.mountPoint);
}

/**
 * The kubelet's cgroup root in each v1 hierarchy, made before it starts (it expects it to exist);
 * cpuset needs its cpus and mems filled before anything can join it.
 */
export function createCgroupRoot(root: string): void {
  for (const mount of mountTable().filter((m) => m.fsType === 'cgroup')) {
    const dir = path.join(mount.mountPoint, root);
    fs.mkdirSync(dir, { recursive: true });
    if (mount.superOptions.split(',').includes('cpuset')) {
      for (const file of ['cpuset.cpus', 'cpuset.mems']) fs.writeFileSync(path.join(dir, file), fs.readFileSync(path.join(mount.mountPoint, file)));
    }
  }
}

/**
 * Sets the CPU weight (cgroup v1 cpu.shares) of the node's cgroup root, where every pod runs.
 * The machine's other processes sit in the root cgroup, each weighing 1024 on its own, while the
 * whole node weighs 1024 by default: on a busy shared machine eight agents as pods got the CPU
 * one host process gets. False when there is no cpu controller to write to.
 */
export function setCpuShares(root: string, shares: number): boolean {
  const cpu = mountTable().find((m) => m.fsType === 'cgroup' && m.superOptions.split(',').includes('cpu'));
  if (!cpu) return false;
  try {
    fs.writeFileSync(path.join(cpu.mountPoint, root, 'cpu.shares'), String(Math.max(2, Math.min(262_144, Math.round(shares)))));
    return true;
  } catch {
    return false;
  }
}

/** SIGKILLs every process in the cgroup tree (containers, pause processes); returns how many were signalled. */
export function killCgroupTree(root: string): number {
  let count = 0;
  for (const mount of cgroupMounts()) {
    for (const dir of treeBottomUp(path.join(mount, root))) {
      for (const pid of read(path.join(dir, 'cgroup.procs')).split('\n').filter(Boolean)) count += kill(Number(pid));
    }
  }
  return count;
}

/** rmdir bottom-up in every hierarchy; returns the folders that remain. */
export function removeCgroupTree(root: string): string[] {
  const left: string[] = [];
  for (const mount of cgroupMounts()) {
    for (const dir of treeBottomUp(path.join(mount, root))) {
      try {
        fs.rmdirSync(dir);
      } catch {
        left.push(dir);
      }
    }
  }
  return left;
}

export function cgroupTreeExists(root: string): string[] {
  return cgroupMounts()
    .map((m) => path.join(m, root))
    .filter((d) => fs.existsSync(d));
}

/** SIGKILLs every process in the given mount namespace (containerd's shims outlive containerd by design). */
export function killMountNamespace(namespace: string): number {
  let count = 0;
  for (const pid of pids()) {
    if (pid === process.pid) continue;
    if (link(`/proc/${pid}/ns/mnt`) === namespace) count += kill(pid);
  }
  return count;
}

/** Processes whose command line mentions `marker` (the cluster's folder): its parts, and any shim of its containerd. */
export function processesMentioning(marker: string): { pid: number; args: string }[] {
  const found: { pid: number; args: string }[] = [];
  for (const pid of pids()) {
    if (pid === process.pid) continue;
    const args = read(`/proc/${pid}/cmdline`).replaceAll('\0', ' ');
    const state = /\)\s+(\S)/.exec(read(`/proc/${pid}/stat`))?.[1];
    if (args.includes(marker) && state !== 'Z' && state !== 'X') found.push({ pid, args });
  }
  return found;
}

export function killProcessesMentioning(marker: string): number {
  return processesMentioning(marker).reduce((n, p) => n + kill(p.pid), 0);
}

// Mounts at or under a node's folder: there should be none (the node's live in its own namespace).
export { mountsUnder };

export function unmountUnder(dir: string): void {
  for (const mp of mountsUnder(dir).sort((a, b) => b.length - a.length)) {
    try {
      execFileSync('umount', ['-l', mp], { stdio: 'ignore', timeout: 10_000 });
    } catch {
      // reported by the caller's leftover check
    }
  }
}

/** Blocks for `ms`: the exit hook cannot await. */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function treeBottomUp(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 32) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory()) walk(path.join(d, e.name), depth + 1);
    out.push(d);
  };
  walk(dir, 0);
  return out;
}

function pids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

function kill(pid: number): number {
  try {
    process.kill(pid, 'SIGKILL');
    return 1;
  } catch {
    return 0;
  }
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function link(file: string): string | undefined {
  try {
    return fs.readlinkSync(file);
  } catch {
    return undefined;
  }
}
