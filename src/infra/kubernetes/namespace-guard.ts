import { z } from 'zod';
import { AgentdrillError } from '../../core/errors.ts';
import type { KubeApi } from './kube-api.ts';
import { drillLabels } from './pods/pod-spec.ts';

/** The opt-in label a namespace must carry before a drill creates or touches anything in it. */
export const optInLabel = { key: 'agentdrill.io/drills', value: 'allowed' } as const;

const namespaceSchema = z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()).optional() }).loose() }).loose();

/**
 * The blast-radius guard, as chaos tools do it: a namespace is drilled only when its owners
 * labelled it `agentdrill.io/drills=allowed`. Checked before anything is created (exit 2).
 */
export async function requireDrillNamespace(api: KubeApi, namespace: string): Promise<void> {
  const hint = `label it if drills may run there: kubectl label namespace ${namespace} ${optInLabel.key}=${optInLabel.value}`;
  const found = await api.request('GET', `/api/v1/namespaces/${namespace}`);
  if (found.status === 404) throw new AgentdrillError('NAMESPACE_REFUSED', `namespace "${namespace}" does not exist`, { hint });
  const parsed = namespaceSchema.safeParse(found.body);
  if (found.status !== 200 || !parsed.success) throw new AgentdrillError('INFRA_START_FAILED', `reading namespace "${namespace}": HTTP ${found.status}`);
  if (parsed.data.metadata.labels?.[optInLabel.key] !== optInLabel.value) {
    throw new AgentdrillError('NAMESPACE_REFUSED', `namespace "${namespace}" does not carry ${optInLabel.key}=${optInLabel.value}; agentdrill creates and kills nothing there`, { hint });
  }
}

/** The provider's own namespace on the cluster it started: created with the opt-in label and the drill's labels. */
export async function createDrillNamespace(api: KubeApi, namespace: string, drillId: string): Promise<void> {
  const created = await api.request('POST', '/api/v1/namespaces', { metadata: { name: namespace, labels: { ...drillLabels(drillId), [optInLabel.key]: optInLabel.value } } });
  if (created.status !== 201) throw new AgentdrillError('INFRA_START_FAILED', `creating namespace ${namespace}: HTTP ${created.status} ${JSON.stringify(created.body).slice(0, 300)}`);
}
