import fs from 'node:fs/promises';
import path from 'node:path';
import { processAlive } from '../../local/child-process.ts';
import { mountsUnder } from '../../local/mounts.ts';
import type { Progress } from '../../provider.ts';

/** A base-image build's root folder names its builder's pid, so a later build can tell an abandoned one. */
export const rootPrefix = (pid = process.pid): string => `agentdrill-rootfs-${pid}-`;

/**
 * Removes root folders whose build was killed before its `finally` ran (SIGKILL, a lost machine):
 * about 120 MB each. A folder something is still mounted in (debootstrap mounts /proc and /sys in
 * its chroot) is left alone and named: removing through a live mount would reach the host's files.
 */
export async function sweepAbandonedRoots(dir: string, progress: Progress): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await fs.readdir(dir).catch(() => [])) {
    const pid = /^agentdrill-rootfs-(\d+)-/.exec(name)?.[1];
    if (pid === undefined || processAlive(Number(pid))) continue;
    const root = path.join(dir, name);
    if (mountsUnder(root).length > 0) {
      progress(`left in place: ${root}, from a killed base-image build, still has mounts in it (umount them, then remove it)`);
      continue;
    }
    await fs.rm(root, { recursive: true, force: true });
    removed.push(root);
    progress(`removed ${root}, left by a base-image build that was killed`);
  }
  return removed;
}
