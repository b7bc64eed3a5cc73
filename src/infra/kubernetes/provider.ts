import path from 'node:path';
import { startLocal, type LocalStartedInfra } from '../local/index.ts';
import type { InfraProvider, InfraStartOptions, Progress, StartedInfra } from '../provider.ts';
import { KubernetesCluster, type StartedKubernetesCluster } from './cluster.ts';
import { isClean } from './host-sweep.ts';
import { kubeApiFrom, type KubeApi } from './kube-api.ts';
import { createDrillNamespace, requireDrillNamespace } from './namespace-guard.ts';
import { nodeImages } from './pods/node-images.ts';
import { podLauncher, type PodLauncher } from './pods/pod-launcher.ts';
import { dnsLabel, drillLabel, managedBy } from './pods/pod-spec.ts';
import { provisionKubernetes } from './provision.ts';

export interface KubernetesStartedInfra extends StartedInfra {
  readonly namespace: string;
  readonly kubeconfig: string;
}

/**
 * The fleet's agents as pods of a single-node cluster the drill starts on this machine; Kafka and
 * Toxiproxy as the local provider runs them, on loopback, which the pods reach through
 * hostNetwork. Everything the drill creates in the cluster carries its labels; stop() deletes
 * them, checks none is left, then stops the cluster (which sweeps the machine) and Kafka.
 */
export async function startKubernetes(options: InfraStartOptions): Promise<KubernetesStartedInfra> {
  const { settings, progress, workDir } = options;
  const drillId = options.drillId ?? path.basename(workDir);
  const binaries = await provisionKubernetes(settings, progress);
  // Side by side: the cluster takes ~15 s, Kafka a few.
  const [local, cluster] = await Promise.allSettled([startLocal(options), new KubernetesCluster({ binaries, progress }).start()]);
  if (local.status === 'rejected' || cluster.status === 'rejected') {
    if (cluster.status === 'fulfilled') await cluster.value.stop();
    if (local.status === 'fulfilled') await local.value.stop();
    throw local.status === 'rejected' ? local.reason : (cluster as PromiseRejectedResult).reason;
  }
  const api = kubeApiFrom(cluster.value.kubeconfig);
  const namespace = dnsLabel(`agentdrill-${drillId}`);
  const launcher: { current?: PodLauncher } = {};
  const stop = stopOnce(() => stopAll({ api, namespace, drillId, launcher: launcher.current, cluster: cluster.value, local: local.value, progress }));
  try {
    await createDrillNamespace(api, namespace, drillId);
    await requireDrillNamespace(api, namespace);
    launcher.current = podLauncher({
      api,
      cluster: cluster.value,
      namespace,
      drillId,
      namePrefix: 'agent',
      ensureImage: nodeImages(cluster.value, path.join(workDir, 'images'), progress),
    });
    progress(`kubernetes: agents run as pods in namespace ${namespace} (kubeconfig ${cluster.value.kubeconfig})`);
    return { kind: 'kubernetes', kafka: local.value.kafka, toxiproxy: local.value.toxiproxy, launcher: launcher.current, namespace, kubeconfig: cluster.value.kubeconfig, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function stopAll(s: { api: KubeApi; namespace: string; drillId: string; launcher: PodLauncher | undefined; cluster: StartedKubernetesCluster; local: LocalStartedInfra; progress: Progress }): Promise<void> {
  s.launcher?.close();
  const left = await deleteLabelled(s.api, s.namespace, s.drillId).catch((e: Error) => `not checked (${e.message})`);
  s.progress(`kubernetes: labelled objects left in the cluster: ${left}`);
  const machine = await s.cluster.stop();
  if (!isClean(machine)) s.progress(`kubernetes: the cluster left on the machine: ${JSON.stringify(machine)}`);
  await s.local.stop();
}

/** Deletes the drill's pods (grace 0: they have been stopped already) and its namespace; answers how many labelled objects the API still lists. */
async function deleteLabelled(api: KubeApi, namespace: string, drillId: string): Promise<number> {
  const selector = encodeURIComponent(`${drillLabel}=${dnsLabel(drillId)}`);
  await api.request('DELETE', `/api/v1/namespaces/${namespace}/pods?labelSelector=${selector}&gracePeriodSeconds=0`);
  const ours = encodeURIComponent(Object.entries(managedBy).map(([k, v]) => `${k}=${v}`).join(','));
  const pods = await api.request<{ items?: unknown[] }>('GET', `/api/v1/pods?labelSelector=${ours}`);
  await api.request('DELETE', `/api/v1/namespaces/${namespace}`);
  return pods.body.items?.length ?? Number.NaN;
}

function stopOnce(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => (stopping ??= stop());
}

export const kubernetesProvider: InfraProvider = { kind: 'kubernetes', start: startKubernetes };
