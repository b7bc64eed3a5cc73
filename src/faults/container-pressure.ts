import { AgentdrillError } from '../core/errors.ts';
import { docker } from '../infra/docker/docker-cli.ts';
import type { InstanceInfo } from '../fleet/types.ts';
import { startCgroupPressure, stopCgroupPressure } from './cgroup-pressure.ts';
import { preferAsVictim } from './oom-victim.ts';

/** Where the program goes in the container: `/` exists in every image, `/tmp` does not. */
const inContainer = '/agentdrill-pressure';
const pidFile = '/agentdrill-pressure.pid';

/**
 * Memory pressure in an agent's own container, for an agent whose code the drill cannot change
 * (as Chaos Mesh's StressChaos and Litmus's pod-memory-hog do it): a small static program copied
 * in and started beside the agent grows at the configured rate in the container's memory cgroup,
 * so the container's memory climbs as a leak would and the kernel acts at its limit. The agent
 * is made the OOM killer's preferred victim first (oom-victim.ts), so the container ends with it.
 */
export async function startPressure(instance: InstanceInfo, mbPerSec: number, binary: string): Promise<{ container: string; preferred: number }> {
  const container = instance.container;
  if (!container || !instance.pid) {
    throw new AgentdrillError('FAULT_FAILED', `${instance.id} runs in no container: memory pressure needs one`, { hint: 'run the drill with --provider docker, agents in containers' });
  }
  // A pod's container is not the engine's: the program joins its memory cgroup from outside.
  if (container.runtime === 'cri') return startCgroupPressure({ id: container.id, name: container.name, pid: instance.pid }, mbPerSec, binary);
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
  if (instance.container.runtime === 'cri') return stopCgroupPressure(instance.container.id);
  await docker(['exec', '--user', '0', instance.container.id, inContainer, 'stop', '--pidfile', pidFile], { what: `Stopping memory pressure in ${instance.container.name}`, timeoutMs: 30_000 }).catch(() => undefined);
}
