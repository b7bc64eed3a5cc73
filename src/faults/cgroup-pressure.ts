import { spawn, type ChildProcess } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AgentdrillError } from '../core/errors.ts';
import { memoryCgroupDir } from '../fleet/oom/cgroup-memory.ts';
import { pdeathsigArgv } from '../fleet/tether.ts';
import { preferAsVictim } from './oom-victim.ts';

/** The programs growing now, by container id: one per container. */
const growing = new Map<string, ChildProcess>();

/**
 * Memory pressure in a pod's container (the local node's CRI runtime, which the docker CLI cannot
 * reach), as Chaos Mesh's chaos-daemon does it: the pressure program starts on the machine and
 * joins the container's memory cgroup at once, so what it allocates from then on is charged to
 * the pod, and the kernel acts at the pod's limit. The agent is made the OOM killer's preferred
 * victim first, as in the docker path. That decides it for any agent holding a few MB: the
 * kernel adds the agent's 1000 as the whole limit to its score, and the program, whose own pages
 * were loaded before it joined, scores its resident memory, at most the limit plus about 2 MB.
 * (Lowering the program's own score would need CAP_SYS_RESOURCE, which this machine lacks.)
 *
 * It goes with the container: the node's containers share the machine's pid namespace, so the
 * runtime kills every process of the container's cgroup when its main process ends; with the
 * harness (a death signal); and when the fault is removed.
 */
export async function startCgroupPressure(container: { id: string; name: string; pid: number }, mbPerSec: number, binary: string): Promise<{ container: string; preferred: number }> {
  const cgroup = await memoryCgroupDir(container.pid);
  if (!cgroup) throw new AgentdrillError('FAULT_FAILED', `no memory cgroup found for ${container.name} (pid ${container.pid})`, { hint: 'the pod may have ended; see the journal for its exit' });
  const preferred = await preferAsVictim(container.pid);
  const pidfile = path.join(os.tmpdir(), `agentdrill-pressure-${container.id.slice(0, 16)}.pid`);
  const argv = pdeathsigArgv([binary, 'grow', '--rate-mb', String(mbPerSec), '--pidfile', pidfile], process.cwd(), process.env);
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  const started = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  await started.catch((e: Error) => {
    throw new AgentdrillError('FAULT_FAILED', `starting memory pressure for ${container.name}: ${e.message}`);
  });
  try {
    // Within a few ms of its start, before its first 100 ms step: only the runtime's own start is charged outside.
    await writeFile(`${cgroup.dir}/cgroup.procs`, String(child.pid));
  } catch (e) {
    child.kill('SIGKILL');
    throw new AgentdrillError('FAULT_FAILED', `moving memory pressure into ${container.name}'s memory cgroup: ${e instanceof Error ? e.message : String(e)}`, { hint: 'the harness must be able to write the cgroup (root)' });
  }
  growing.set(container.id, child);
  child.once('exit', () => {
    if (growing.get(container.id) === child) growing.delete(container.id);
    // The program removes it when stopped, not when killed with its container.
    void rm(pidfile, { force: true });
  });
  return { container: container.name, preferred };
}

/** Stops the program (the fix shipped); a container that has ended took it along. */
export async function stopCgroupPressure(containerId: string): Promise<void> {
  const child = growing.get(containerId);
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 5000).unref())]);
  child.kill('SIGKILL');
}
