import { readFile, writeFile } from 'node:fs/promises';
import { AgentdrillError } from '../core/errors.ts';
import { memoryCgroupDir } from '../fleet/oom/cgroup-memory.ts';

/**
 * The kernel's OOM killer ends the process with the highest score, which would be a pressure
 * program (it holds the most). Every process already in the agent's container is made the
 * preferred victim (oom_score_adj 1000, which needs no privilege to raise); the pressure program,
 * started after, keeps the default, so the kill lands on the agent as in production.
 * Every process now in the container's memory cgroup gets oom_score_adj 1000; answers how many.
 */
export async function preferAsVictim(pid: number): Promise<number> {
  const cgroup = await memoryCgroupDir(pid);
  const procs = cgroup ? await readFile(`${cgroup.dir}/cgroup.procs`, 'utf8').catch(() => String(pid)) : String(pid);
  let count = 0;
  for (const p of procs.split('\n').map((l) => l.trim()).filter(Boolean)) {
    try {
      await writeFile(`/proc/${p}/oom_score_adj`, '1000');
      count++;
    } catch {
      // Gone since the list was read, or not ours to change: the others still count.
    }
  }
  if (count === 0) throw new AgentdrillError('FAULT_FAILED', `could not make the agent in pid ${pid} the OOM killer's preferred victim`, { hint: 'the harness must be able to write /proc/<pid>/oom_score_adj of the container\'s processes' });
  return count;
}
