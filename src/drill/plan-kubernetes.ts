import { containerMemory } from '../fleet/definition/agent-templates.ts';
import { optInLabel } from '../infra/kubernetes/namespace-guard.ts';
import { drillLabels, drillNamespace, instanceLabels } from '../infra/kubernetes/pods/pod-spec.ts';
import { kubernetesVersions } from '../infra/kubernetes/versions.ts';
import type { DrillPlan } from './plan.ts';

/** What `run --dry-run --provider kubernetes` lists: every object the drill would create in the cluster, and what runs beside it. */
export interface KubernetesPlanView {
  cluster: string;
  namespace: { name: string; labels: Record<string, string> };
  pods: { name: string; agent: string; image: string; memoryLimit: string | null; labels: Record<string, string> }[];
  /** Started on the machine, not in the cluster. */
  beside: string[];
  /** How the drill ends for the objects above. */
  removal: string;
}

/**
 * The objects as the provider (src/infra/kubernetes/provider.ts) names and labels them, from the
 * same functions, so the list cannot drift from what a run creates. Pod names end in a launch
 * count the plan cannot know (instances start side by side): shown as `N`.
 */
export function kubernetesPlan(plan: DrillPlan): KubernetesPlanView {
  const fleet = plan.fleet.definition;
  const pods: KubernetesPlanView['pods'] = [];
  for (const agent of Object.values(fleet.agents)) {
    const replicas = plan.fleet.replicas[agent.name] ?? agent.replicas;
    const memory = containerMemory(agent.memory, agent.heap).memoryMb;
    for (let n = 1; n <= replicas; n++) {
      const instanceId = `${agent.name}-${n}`;
      pods.push({
        name: `agent-${instanceId}-N`,
        agent: agent.name,
        image: plan.fleet.versions[agent.name]?.image ?? agent.image ?? '(none)',
        memoryLimit: memory === undefined ? null : `${memory}Mi`,
        labels: instanceLabels(plan.drillId, agent.name, instanceId),
      });
    }
  }
  return {
    cluster: 'a single-node cluster started on this machine for the drill (etcd, kube-apiserver, controller-manager, scheduler, kubelet, containerd), stopped at its end',
    namespace: { name: drillNamespace(plan.drillId), labels: { ...drillLabels(plan.drillId), [optInLabel.key]: optInLabel.value } },
    pods,
    beside: [
      'Kafka (KRaft) and Toxiproxy on loopback, as --provider local runs them; the pods reach them through hostNetwork',
      ...Object.values(fleet.dependencies).filter((d) => !d.upstream).map((d) => `dependency ${d.name}'s stand-in, as a process on the machine`),
      "each agent's image, imported into the node's containerd (imagePullPolicy: Never)",
      `runbook steps get the cluster's kubectl ${kubernetesVersions.kubernetes} on PATH, KUBECONFIG with ${drillNamespace(plan.drillId)} as its namespace, and AGENTDRILL_NAMESPACE`,
    ],
    removal: `every pod labelled ${Object.entries(drillLabels(plan.drillId)).map(([k, v]) => `${k}=${v}`).join(',')} and the namespace are deleted on every exit path, then the cluster is stopped`,
  };
}

function ownLabels(labels: Record<string, string>, drill: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k, v]) => drill[k] !== v));
}

export function renderKubernetesPlan(k: KubernetesPlanView): string[] {
  const labels = (l: Record<string, string>) => Object.entries(l).map(([key, v]) => `${key}=${v}`).join(',');
  return [
    `  kubernetes: ${k.cluster}`,
    `    namespace ${k.namespace.name} (labels ${labels(k.namespace.labels)})`,
    // The drill's labels are on the namespace line; each pod's line adds only its own.
    ...k.pods.map((p) => `    pod ${p.name}: image ${p.image}, memory limit ${p.memoryLimit ?? 'none'}, restartPolicy Never (the drill's labels and ${labels(ownLabels(p.labels, k.namespace.labels))})`),
    ...k.beside.map((b) => `    beside it: ${b}`),
    `    afterwards: ${k.removal}`,
  ];
}
