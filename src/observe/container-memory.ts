import { readFile } from 'node:fs/promises';
import { memoryCgroupDir } from '../fleet/oom/cgroup-memory.ts';

/**
 * A container's memory as the kernel's OOM killer and cAdvisor see it: the working set of its
 * whole memory cgroup (usage less the inactive file cache), every process in it counted, not
 * only the main one. Undefined when the cgroup cannot be read (the container is gone).
 */
export async function containerWorkingSet(pid: number, root = '/sys/fs/cgroup'): Promise<number | undefined> {
  const cgroup = await memoryCgroupDir(pid, root);
  // An exiting process is moved to the root cgroup before it is reaped: that would read the whole machine.
  if (!cgroup || [`${root}/memory/`, `${root}/`].includes(cgroup.dir)) return undefined;
  try {
    const [usage, stat] = await Promise.all([
      readFile(`${cgroup.dir}/${cgroup.version === 1 ? 'memory.usage_in_bytes' : 'memory.current'}`, 'utf8'),
      readFile(`${cgroup.dir}/memory.stat`, 'utf8'),
    ]);
    const inactiveFile = statValue(stat, cgroup.version === 1 ? 'total_inactive_file' : 'inactive_file');
    return Math.max(0, Number(usage.trim()) - inactiveFile);
  } catch {
    return undefined;
  }
}

function statValue(stat: string, key: string): number {
  const line = stat.split('\n').find((l) => l.startsWith(`${key} `));
  return line ? Number(line.slice(key.length + 1)) || 0 : 0;
}
