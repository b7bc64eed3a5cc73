import { z } from 'zod';
import type { ExitStatus } from '../../../fleet/launcher.ts';
import type { CgroupMemory } from '../../../fleet/oom/cgroup-memory.ts';

/** The part of a Pod the launcher reads from the API's watch: parsed at the edge, the rest ignored. */
const containerState = z.object({
  running: z.object({}).loose().optional(),
  waiting: z.object({ reason: z.string().optional(), message: z.string().optional() }).loose().optional(),
  terminated: z.object({ exitCode: z.number(), signal: z.number().optional(), reason: z.string().optional(), message: z.string().optional() }).loose().optional(),
});

export const podSchema = z
  .object({
    metadata: z.object({ name: z.string() }).loose(),
    status: z
      .object({
        phase: z.string().optional(),
        reason: z.string().optional(),
        message: z.string().optional(),
        containerStatuses: z.array(z.object({ containerID: z.string().optional(), state: containerState.optional() }).loose()).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export type PodObject = z.infer<typeof podSchema>;

/** Where one watched pod is: its container running (with its id), ended, or not started yet. */
export type PodView =
  | { kind: 'pending' }
  | { kind: 'running'; containerId: string }
  | { kind: 'ended'; status: ExitStatus };

/**
 * Waiting reasons after which the kubelet will never start the container by itself (no registry,
 * imagePullPolicy: Never): the launch failed, as `docker run` would have.
 */
const hopeless = new Set(['ErrImageNeverPull', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

export function viewOf(type: string, raw: unknown): PodView {
  if (type === 'DELETED') return { kind: 'ended', status: { code: null, signal: null, error: 'its pod was deleted' } };
  const pod = podSchema.safeParse(raw);
  if (!pod.success) return { kind: 'pending' };
  const status = pod.data.status;
  const container = status?.containerStatuses?.[0];
  const terminated = container?.state?.terminated;
  if (terminated) return { kind: 'ended', status: exitOf(terminated.exitCode, terminated.reason) };
  const waiting = container?.state?.waiting;
  if (waiting?.reason && hopeless.has(waiting.reason)) return { kind: 'ended', status: { code: null, signal: null, error: `${waiting.reason}: ${waiting.message ?? ''}`.trim() } };
  // Evicted, or a pod the kubelet refused (OutOfmemory, NodeAffinity): no container ever ran.
  if (status?.phase === 'Failed') return { kind: 'ended', status: { code: null, signal: null, error: `pod failed: ${status.reason ?? ''} ${status.message ?? ''}`.trim() } };
  if (container?.state?.running && container.containerID) return { kind: 'running', containerId: container.containerID.replace(/^[a-z]+:\/\//, '') };
  return { kind: 'pending' };
}

/** The runtime's exit code as docker reports it (128 + signal), and the kubelet's OOMKilled reason as the OOM witness. */
export function exitOf(exitCode: number, reason: string | undefined): ExitStatus {
  const signal = exitCode > 128 ? (signalNames[exitCode - 128] ?? null) : null;
  const oomKilled = reason === 'OOMKilled';
  if (exitCode !== 137) return { code: exitCode, signal, oomKilled };
  return { code: exitCode, signal, oomKilled, oomEvidence: { saw: oomKilled ? ['kubelet'] : [], sawNone: oomKilled ? [] : ['kubelet'], disagree: false } };
}

const signalNames: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 6: 'SIGABRT', 9: 'SIGKILL', 15: 'SIGTERM' };

/**
 * The API's word beside the machine's own of a 137 exit: the kernel log's record of the kill. As
 * under docker, any witness that saw it decides (none invents an OOM kill of this container), and
 * one that looked and did not is kept, so the journal shows a disagreement. The container
 * cgroup's last reading goes along as figures, not as a witness: the kubelet sets the same limit
 * on the pod's cgroup, whose OOM it is then (the kernel log names oom_memcg=<the pod>), and the
 * container's own counter stays 0.
 */
export function withMachineWitnesses(status: ExitStatus, seen: { cgroup: CgroupMemory | undefined; kernelLog: boolean | undefined }): ExitStatus {
  if (status.code !== 137 || !status.oomEvidence) return status;
  const saw = [...status.oomEvidence.saw];
  const sawNone = [...status.oomEvidence.sawNone];
  if (seen.kernelLog !== undefined) (seen.kernelLog ? saw : sawNone).push('kernelLog');
  return {
    ...status,
    oomKilled: saw.length > 0,
    oomEvidence: { ...status.oomEvidence, saw, sawNone, disagree: saw.length > 0 && sawNone.length > 0, ...(seen.cgroup ? { cgroup: seen.cgroup } : {}) },
  };
}
