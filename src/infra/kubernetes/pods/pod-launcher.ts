import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AgentdrillError } from '../../../core/errors.ts';
import { freePort } from '../../../core/ports.ts';
import type { ExitStatus, LaunchedInstance, Launcher, LaunchRequest, TeamImage } from '../../../fleet/launcher.ts';
import { runBounded } from '../../../fleet/run-bounded.ts';
import { runToolOutput } from '../../local/host-tools.ts';
import type { StartedKubernetesCluster } from '../cluster.ts';
import type { KubeApi } from '../kube-api.ts';
import { dnsLabel, podManifest } from './pod-spec.ts';
import { watchPod } from './pod-watch.ts';
import { withMachineWitnesses } from './pod-status.ts';
import { cgroupWatch } from '../../../fleet/oom/cgroup-memory.ts';
import { kernelLogSawOomKill } from '../../../fleet/oom/kernel-log.ts';

export interface PodLauncherOptions {
  api: KubeApi;
  cluster: StartedKubernetesCluster;
  namespace: string;
  drillId: string;
  /** Pod names are `<namePrefix>-<instance>-<n>`. */
  namePrefix: string;
  /** Makes the image available to the node (imported from the docker engine). */
  ensureImage: (tag: string) => Promise<void>;
  /** How long a created pod may take to run its container (scheduling, a busy kubelet). */
  startTimeoutMs?: number;
}

export interface PodLauncher extends Launcher {
  /** Stops following every pod (their watches and logs); the pods themselves go by label. */
  close(): void;
}

/**
 * Agents as pods of the node, one bare pod per instance (a restart is a new pod, as a restart
 * under docker is a new container). Signals go to the container's process by its host pid (what
 * `docker kill` does), so kill-consumer is a real SIGKILL and the kubelet reports the exit (137)
 * on the API's watch, which is where `exited` comes from.
 */
export function podLauncher(o: PodLauncherOptions): PodLauncher {
  let launches = 0;
  const open = new Set<() => void>();
  // Each running pod weighs what one agent weighs as a host process (the local provider's), not a share of one.
  const weigh = () => o.cluster.setCpuShares(1024 * Math.max(1, open.size));
  return {
    kind: 'pod',
    allocatePort: () => freePort(),
    async launch(request) {
      if (!request.image) throw new AgentdrillError('FLEET_FAILED', `${request.instanceId} has no image; --provider kubernetes runs agents from their images`);
      const name = dnsLabel(`${o.namePrefix}-${request.instanceId}-${++launches}`);
      await o.ensureImage(request.image.name);
      const launched = await launchPod(o, request, request.image, name, open);
      weigh();
      void launched.exited.then(weigh);
      return launched;
    },
    async exec(request, running, argv, timeoutMs) {
      if (!running?.container) return { exitCode: null, output: '', timedOut: false, error: `${request.instanceId} has no running pod (it has exited or is restarting)` };
      const { bin, args } = o.cluster.crictl();
      return runBounded([bin, ...args, 'exec', '--timeout', String(Math.ceil(timeoutMs / 1000)), running.container.id, ...argv], { cwd: process.cwd(), env: process.env, timeoutMs });
    },
    close: () => {
      for (const close of open) close();
      open.clear();
    },
  };
}

async function launchPod(o: PodLauncherOptions, request: LaunchRequest, image: TeamImage, name: string, open: Set<() => void>): Promise<LaunchedInstance> {
  for (const m of image.mounts) mkdirSync(m, { recursive: true });
  mkdirSync(path.dirname(request.logFile), { recursive: true });
  const pods = `/api/v1/namespaces/${o.namespace}/pods`;
  const adminUrl = `http://127.0.0.1:${request.adminPort}`;
  const failed = (error: string): LaunchedInstance => ({ pid: undefined, adminUrl, exited: Promise.resolve({ code: null, signal: null, error }), signal: () => false });
  const remove = () => o.api.request('DELETE', `${pods}/${name}?gracePeriodSeconds=0`).catch(() => undefined);
  // Watch first, then create: the watch sees every change of the pod from its first state.
  const watch = await watchPod(o.api, o.namespace, name);
  const created = await o.api.request('POST', pods, podManifest({ name, drillId: o.drillId, request, image, env: request.env })).catch((e: Error) => ({ status: 0, body: e.message }));
  if (created.status !== 201) {
    watch.close();
    return failed(`creating pod ${name}: HTTP ${created.status} ${JSON.stringify(created.body).slice(0, 300)}`);
  }
  const first = await watch.settled(o.startTimeoutMs ?? 120_000);
  if (first?.kind !== 'running') {
    watch.close();
    await remove();
    return failed(first?.kind === 'ended' ? (first.status.error ?? `pod ${name} ended at once (exit ${first.status.code})`) : `pod ${name} did not start within ${Math.round((o.startTimeoutMs ?? 120_000) / 1000)} s`);
  }
  const pid = await hostPid(o.cluster, first.containerId);
  if (pid === undefined) {
    // Without its pid the instance could be neither signalled nor stopped: a failed start, not a pod left running.
    watch.close();
    await remove();
    return failed(`pod ${name} runs, but crictl did not say which host process its container is`);
  }
  const logs = o.api.follow(`${pods}/${name}/log?follow=true`, request.logFile);
  // Read while the container runs: the cgroup goes with it.
  const cgroup = cgroupWatch(pid);
  const close = () => {
    watch.close();
    // Teardown: the log is cut where it is; finish() never rejects, and nothing waits on the file.
    void logs.finish();
  };
  open.add(close);
  let done = false;
  let sentSignal: string | undefined;
  const exited = watch.ended.then(async ({ status }): Promise<ExitStatus> => {
    done = true;
    watch.close();
    open.delete(close);
    // The API ends the log stream once the container has stopped: the last lines before an
    // OOM kill or a crash reach the file before anyone reads it (the exit is reported after).
    await logs.finish(logGraceMs);
    const cgroupLast = await cgroup.stop();
    const kernelLog = status.code === 137 ? await kernelLogSawOomKill(first.containerId, pid) : undefined;
    // Like `docker rm` after the exit: the next start is a new pod.
    await remove();
    const judged = withMachineWitnesses(status, { cgroup: cgroupLast, kernelLog });
    return judged.oomEvidence && sentSignal ? { ...judged, oomEvidence: { ...judged.oomEvidence, sentSignal } } : judged;
  });
  return {
    pid,
    container: { id: first.containerId, name, ...(image.memoryMb ? { memoryLimitMb: image.memoryMb } : {}), workingSet: true, runtime: 'cri' },
    adminUrl,
    exited,
    signal(signal) {
      if (done) return false;
      try {
        process.kill(pid, signal);
      } catch {
        return false;
      }
      sentSignal = signal;
      return true;
    },
  };
}

/** How long an ended container's log may take to arrive in full; bounded, so an exit is never held up long. */
const logGraceMs = 2000;

const inspected = z.object({ info: z.object({ pid: z.number().int().positive() }).loose() }).loose();

/** The container's main process as the machine sees it (the node has no pid namespace of its own). */
async function hostPid(cluster: StartedKubernetesCluster, containerId: string): Promise<number | undefined> {
  const { bin, args } = cluster.crictl();
  try {
    const out = await runToolOutput(bin, [...args, 'inspect', '--output', 'json', containerId], { what: `crictl inspect ${containerId}`, timeoutMs: 30_000, errorCode: 'FLEET_FAILED' });
    const parsed = inspected.safeParse(JSON.parse(out.stdout));
    return parsed.success ? parsed.data.info.pid : undefined;
  } catch {
    return undefined;
  }
}
