import path from 'node:path';
import { AgentdrillError, isAgentdrillError } from '../../core/errors.ts';
import { Teardown } from '../../core/teardown.ts';
import { requireEngine } from '../docker/engine.ts';
import { startLocal } from '../local/index.ts';
import type { InfraProvider, InfraStartOptions, StartedInfra } from '../provider.ts';
import { KubernetesCluster } from './cluster.ts';
import { isClean } from './host-sweep.ts';
import { kubeApiFrom, type KubeApi } from './kube-api.ts';
import { writeStepKubeconfig } from './kubeconfig.ts';
import { createDrillNamespace } from './namespace-guard.ts';
import { watchNamespaceEvents } from './namespace-events.ts';
import { PlatformEvents } from '../platform-events.ts';
import { nodeImages } from './pods/node-images.ts';
import { podLauncher } from './pods/pod-launcher.ts';
import { dnsLabel, drillLabel, drillNamespace, managedBy } from './pods/pod-spec.ts';
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
  // The fleet's images are built on the Docker engine: without one, say so before minutes of provisioning.
  await requireEngine();
  const binaries = await provisionKubernetes(settings, progress);
  // Every part started registers its stop; teardown runs them newest-first, each once, even when one fails.
  const teardown = new Teardown();
  const stop = async () => {
    const report = await teardown.run();
    for (const f of report.failures) progress(`kubernetes: stopping ${f.name} failed: ${f.error}`);
  };
  try {
    // Side by side: the cluster takes ~15 s, Kafka a few.
    const [local, cluster] = await Promise.allSettled([startLocal(options), new KubernetesCluster({ binaries, progress }).start()]);
    if (local.status === 'fulfilled') teardown.add('Kafka and Toxiproxy', () => local.value.stop());
    if (cluster.status === 'fulfilled') {
      teardown.add('the cluster', async () => {
        const machine = await cluster.value.stop();
        if (!isClean(machine)) progress(`kubernetes: the cluster left on the machine: ${JSON.stringify(machine)}`);
      });
    }
    if (local.status === 'rejected') throw local.reason;
    if (cluster.status === 'rejected') throw cluster.reason;
    const api = kubeApiFrom(cluster.value.kubeconfig);
    const namespace = drillNamespace(drillId);
    teardown.add('the drill\'s labelled objects', async () => {
      const left = await deleteLabelled(api, namespace, drillId).catch((e: Error) => `not checked (${e.message})`);
      progress(`kubernetes: labelled objects left in the cluster: ${left}`);
    });
    // Its own namespace, made with the opt-in label: the guard (namespace-guard.ts) is for one a user names.
    await createDrillNamespace(api, namespace, drillId);
    const platformEvents = new PlatformEvents();
    const events = await watchNamespaceEvents(api, namespace, (e) => platformEvents.emit(e));
    teardown.add("the namespace's event watch", () => events.close());
    const launcher = podLauncher({
      api,
      cluster: cluster.value,
      namespace,
      drillId,
      namePrefix: 'agent',
      ensureImage: nodeImages(cluster.value, path.join(workDir, 'images'), progress),
    });
    teardown.add('the pod watches', () => launcher.close());
    progress(`kubernetes: agents run as pods in namespace ${namespace} (kubeconfig ${cluster.value.kubeconfig})`);
    // Removed with the work dir; the certificates it names go with the cluster.
    const stepKubeconfig = await writeStepKubeconfig(cluster.value.kubeconfig, path.join(workDir, 'step-kubeconfig'), namespace);
    const stepEnvironment = { env: { KUBECONFIG: stepKubeconfig, AGENTDRILL_NAMESPACE: namespace }, path: [path.dirname(binaries.kubectl)] };
    return { kind: 'kubernetes', kafka: local.value.kafka, toxiproxy: local.value.toxiproxy, launcher, namespace, kubeconfig: cluster.value.kubeconfig, stepEnvironment, onPlatformEvent: (l) => platformEvents.listen(l), stop };
  } catch (e) {
    await stop();
    // The API client's own failures (refused, timed out, an answer it cannot read) are the start's.
    throw isAgentdrillError(e) ? e : new AgentdrillError('INFRA_START_FAILED', `starting the Kubernetes provider: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
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

export const kubernetesProvider: InfraProvider = { kind: 'kubernetes', start: startKubernetes };
