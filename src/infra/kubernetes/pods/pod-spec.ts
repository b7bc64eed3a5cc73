import type { LaunchRequest, TeamImage } from '../../../fleet/launcher.ts';

/** Labels on everything the provider creates: `infra gc`-style removal and the leak check select by them. */
export const managedBy = { 'app.kubernetes.io/managed-by': 'agentdrill' } as const;
export const drillLabel = 'agentdrill.io/drill';
export const instanceLabel = 'agentdrill.io/instance';

/** A label value or DNS label: lowercase alphanumerics and '-', at most 63, alphanumeric at both ends. */
export function dnsLabel(text: string, max = 63): string {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, max).replace(/^-+|-+$/g, '');
  return cleaned || 'x';
}

export function drillLabels(drillId: string): Record<string, string> {
  return { ...managedBy, [drillLabel]: dnsLabel(drillId) };
}

/** The namespace a drill creates for its pods (and deletes at its end). */
export function drillNamespace(drillId: string): string {
  return dnsLabel(`agentdrill-${drillId}`);
}

/** The labels of one instance's pod, beyond the drill's: how the leak check and a person select it. */
export function instanceLabels(drillId: string, agent: string, instanceId: string): Record<string, string> {
  return { ...drillLabels(drillId), [instanceLabel]: dnsLabel(instanceId), 'agentdrill.io/agent': dnsLabel(agent) };
}

/**
 * One instance of a team's agent as a bare pod, run as its container runs under docker:
 * - restartPolicy Never: the supervisor is the restart policy (backoff, `ctl restart --memory`),
 *   as with `docker run` without --restart; a kubelet restart would hide the exit from it.
 * - hostNetwork: Kafka, the Toxiproxy proxies and the instance's admin port stay on the
 *   machine's loopback, so the fleet file's addresses work unchanged (no Service, no kube-proxy).
 * - the state folders as hostPath volumes at the same path: faults and steps see the same files.
 * - imagePullPolicy Never: the image was imported into the node's containerd.
 */
export function podManifest(o: { name: string; drillId: string; request: LaunchRequest; image: TeamImage; env: Record<string, string> }): Record<string, unknown> {
  const volumes = o.image.mounts.map((hostPath, i) => ({ name: `state-${i}`, hostPath: { path: hostPath, type: 'DirectoryOrCreate' } }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name, labels: instanceLabels(o.drillId, o.request.agent, o.request.instanceId) },
    spec: {
      restartPolicy: 'Never',
      hostNetwork: true,
      // No cluster DNS runs on this node: the machine's resolver, as a host process has.
      dnsPolicy: 'Default',
      // Teardown signals the process itself and deletes the pod once it has exited.
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      volumes,
      containers: [
        {
          name: 'agent',
          image: o.image.name,
          imagePullPolicy: 'Never',
          env: Object.entries(o.env).map(([name, value]) => ({ name, value })),
          ...(o.image.memoryMb ? { resources: { limits: { memory: `${o.image.memoryMb}Mi` } } } : {}),
          volumeMounts: o.image.mounts.map((mountPath, i) => ({ name: `state-${i}`, mountPath })),
        },
      ],
    },
  };
}
