import fs from 'node:fs/promises';
import { parse, stringify } from 'yaml';

/** A kubeconfig with one cluster, user and context, certificates by path (they live as long as the cluster). */
export function renderKubeconfig(o: { server: string; caCert: string; cert: string; key: string; name?: string }): string {
  const name = o.name ?? 'agentdrill';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: o.server, 'certificate-authority': o.caCert } }],
    users: [{ name, user: { 'client-certificate': o.cert, 'client-key': o.key } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  });
}

export async function writeKubeconfig(file: string, o: Parameters<typeof renderKubeconfig>[0]): Promise<string> {
  await fs.writeFile(file, renderKubeconfig(o), { mode: 0o600 });
  return file;
}

/**
 * The kubeconfig runbook steps get: the cluster's, with the drill's namespace as its context's
 * default, so a step is written as on call (`kubectl get pods -l app=scorer`), with no `-n`.
 */
export async function writeStepKubeconfig(from: string, to: string, namespace: string): Promise<string> {
  const config = parse(await fs.readFile(from, 'utf8')) as { contexts: { context: Record<string, unknown> }[] };
  for (const c of config.contexts) c.context.namespace = namespace;
  await fs.writeFile(to, stringify(config), { mode: 0o600 });
  return to;
}
