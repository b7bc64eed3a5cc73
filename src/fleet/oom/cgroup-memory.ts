import { readFileSync } from 'node:fs';

/** What a memory cgroup says of itself; v1 and v2 name these differently. */
export interface CgroupMemory {
  /** Processes in this cgroup the OOM killer ended so far. */
  oomKills: number;
  /** Times usage hit the limit (v1 memory.failcnt; v2 memory.events "max"). */
  limitHits: number;
}

/**
 * The memory cgroup a process is in, from /proc/<pid>/cgroup: the v1 `memory` controller's line,
 * or the v2 unified line. The folder is gone once the container is removed, so callers read it
 * while the process runs (see cgroupWatch).
 */
// procfs and cgroupfs are read synchronously: they answer from memory in microseconds, and these
// reads run several times a second per container (see container-memory.ts).
export async function memoryCgroupDir(pid: number, root = '/sys/fs/cgroup'): Promise<{ dir: string; version: 1 | 2 } | undefined> {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [, controllers, rel] = line.split(':');
    if (rel === undefined) continue;
    if (controllers!.split(',').includes('memory')) return { dir: `${root}/memory${rel}`, version: 1 };
  }
  const unified = text.split('\n').find((l) => l.startsWith('0::'));
  return unified ? { dir: `${root}${unified.slice(3)}`, version: 2 } : undefined;
}

export async function readCgroupMemory(cgroup: { dir: string; version: 1 | 2 }): Promise<CgroupMemory | undefined> {
  try {
    if (cgroup.version === 1) {
      const [control, failcnt] = [readFileSync(`${cgroup.dir}/memory.oom_control`, 'utf8'), readFileSync(`${cgroup.dir}/memory.failcnt`, 'utf8')];
      return { oomKills: keyed(control, 'oom_kill'), limitHits: Number(failcnt.trim()) || 0 };
    }
    const events = readFileSync(`${cgroup.dir}/memory.events`, 'utf8');
    return { oomKills: keyed(events, 'oom_kill'), limitHits: keyed(events, 'max') };
  } catch {
    return undefined;
  }
}

function keyed(text: string, key: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${key} `));
  return line ? Number(line.slice(key.length + 1)) || 0 : 0;
}

/**
 * Reads a container's memory cgroup every `intervalMs` while it runs and keeps the last reading:
 * the OOM-kill counter is often caught only as the cgroup goes, so the counter is a witness that
 * may miss (undefined) but never invents a kill.
 */
export function cgroupWatch(pid: number | undefined, intervalMs = 500): { last(): CgroupMemory | undefined; stop(): Promise<CgroupMemory | undefined> } {
  let last: CgroupMemory | undefined;
  let stopped = false;
  const cgroup = pid === undefined ? Promise.resolve(undefined) : memoryCgroupDir(pid);
  const readOnce = async () => {
    const c = await cgroup;
    if (!c) return;
    const now = await readCgroupMemory(c);
    if (now) last = now;
  };
  let inFlight: Promise<void> = readOnce();
  const timer = setInterval(() => {
    if (!stopped) inFlight = inFlight.then(readOnce);
  }, intervalMs);
  timer.unref();
  return {
    last: () => last,
    async stop() {
      stopped = true;
      clearInterval(timer);
      // One last look: the counter may already show the kill if the folder is still there.
      await inFlight.then(readOnce);
      return last;
    },
  };
}
