import fs from 'node:fs/promises';
import { stringify } from 'yaml';

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
