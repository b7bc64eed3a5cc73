import { readFile, writeFile } from 'node:fs/promises';
import { AgentdrillError } from '../core/errors.ts';
import { docker } from '../infra/docker/docker-cli.ts';
import { memoryCgroupDir } from '../fleet/oom/cgroup-memory.ts';
import type { InstanceInfo } from '../fleet/types.ts';

/** Where the program goes in the container: `/` exists in every image, `/tmp` does not. */
const inContainer = '/agentdrill-pressure';
const pidFile = '/agentdrill-pressure.pid';

/**
 * Memory pressure in an agent's own container, for an agent whose code the drill cannot change
 * (as Chaos Mesh's StressChaos and Litmus's pod-memory-hog do it): a small static program copied
 * in and started beside the agent grows at the configured rate in the container's memory cgroup,
 * so the container's memory climbs as a leak would and the kernel acts at its limit.
 *
 * The kernel's OOM killer ends the process with the highest score, which would be the pressure
 * program (it holds the most). Every process already in the container is made the preferred
 * victim first (oom_score_adj 1000, which needs no privilege to raise); the pressure program,
 * started after, keeps the default, so the kill lands on the agent as in production, and the
 * container ends with it.
 */
export async function startPressure(instance: InstanceInfo, mbPerSec: number, binary: string): Promise<{ container: string; preferred: number }> {
  const container = instance.container;
  if (!container || !instance.pid) {
    throw new AgentdrillError('FAULT_FAILED', `${instance.id} runs in no container: memory pressure needs one`, { hint: 'run the drill with --provider docker, agents in containers' });
  }
  await docker(['cp', binary, `${container.id}:${inContainer}`], { what: `Copying the memory-pressure program into ${container.name}`, errorCode: 'FAULT_FAILED', timeoutMs: 60_000 });
  const preferred = await preferAsVictim(instance.pid);
  await docker(['exec', '--detach', '--user', '0', container.id, inContainer, 'grow', '--rate-mb', String(mbPerSec), '--pidfile', pidFile], {
    what: `Starting memory pressure in ${container.name}`,
    errorCode: 'FAULT_FAILED',
    timeoutMs: 60_000,
  });
  return { container: container.name, preferred };
}

/** Stops the program (the fix shipped); a container that has gone took it along. */
export async function stopPressure(instance: InstanceInfo): Promise<void> {
  if (!instance.container) return;
  await docker(['exec', '--user', '0', instance.container.id, inContainer, 'stop', '--pidfile', pidFile], { what: `Stopping memory pressure in ${instance.container.name}`, timeoutMs: 30_000 }).catch(() => undefined);
}

/** Every process now in the container's memory cgroup gets oom_score_adj 1000; answers how many. */
async function preferAsVictim(pid: number): Promise<number> {
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
