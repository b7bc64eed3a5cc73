import fs from 'node:fs/promises';
import path from 'node:path';
import { runTool } from '../local/host-tools.ts';

export interface ClusterPki {
  dir: string;
  caCert: string;
  caKey: string;
  /** Signing and verifying service-account tokens. */
  serviceAccountKey: string;
  serviceAccountPub: string;
  /** name → { cert, key } for each identity below. */
  identities: Record<IdentityName, { cert: string; key: string }>;
}

export type IdentityName = 'apiserver' | 'admin' | 'controllerManager' | 'scheduler' | 'kubelet' | 'kubeletServing' | 'apiserverKubeletClient';

/**
 * Who is who in the cluster: the API server authorises by the client certificate's CN (user) and
 * O (groups). The kubelet must be system:node:<name> in system:nodes for the Node authoriser;
 * controller-manager and scheduler get the users their built-in RBAC roles are bound to.
 */
function identities(o: { nodeName: string; nodeIp: string; serviceIp: string }): Record<IdentityName, { subject: string; altNames?: string }> {
  return {
    apiserver: { subject: '/CN=kube-apiserver', altNames: `IP:127.0.0.1,IP:${o.nodeIp},IP:${o.serviceIp},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default` },
    admin: { subject: '/O=system:masters/CN=agentdrill-admin' },
    controllerManager: { subject: '/CN=system:kube-controller-manager' },
    scheduler: { subject: '/CN=system:kube-scheduler' },
    kubelet: { subject: `/O=system:nodes/CN=system:node:${o.nodeName}` },
    kubeletServing: { subject: `/CN=${o.nodeName}`, altNames: `IP:${o.nodeIp},DNS:${o.nodeName}` },
    apiserverKubeletClient: { subject: '/O=system:masters/CN=kube-apiserver-kubelet-client' },
  };
}

/**
 * A fresh CA and every certificate per cluster start, valid two days: nothing is shared between
 * clusters or kept after one stops. P-256 keys: generating ten takes well under a second.
 */
export async function createPki(o: { openssl: string; dir: string; nodeName: string; nodeIp: string; serviceIp: string }): Promise<ClusterPki> {
  await fs.mkdir(o.dir, { recursive: true, mode: 0o700 });
  const file = (name: string) => path.join(o.dir, name);
  const run = (args: string[], what: string) => runTool(o.openssl, args, { cwd: o.dir, what, timeoutMs: 30_000, errorCode: 'INFRA_START_FAILED' });
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run(['req', '-x509', ...newKey, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '2', '-subj', '/CN=agentdrill-cluster-ca'], 'Making the cluster CA');
  await run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('sa.key')], 'Making the service-account key');
  await run(['ec', '-in', file('sa.key'), '-pubout', '-out', file('sa.pub')], 'Making the service-account key');

  const wanted = identities(o);
  const issued = await Promise.all(
    (Object.keys(wanted) as IdentityName[]).map(async (name, serial) => {
      const { subject, altNames } = wanted[name];
      const [key, csr, cert, ext] = [file(`${name}.key`), file(`${name}.csr`), file(`${name}.crt`), file(`${name}.ext`)];
      const usage = altNames ? 'serverAuth' : 'clientAuth';
      await fs.writeFile(ext, `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=${usage}\n${altNames ? `subjectAltName=${altNames}\n` : ''}`);
      await run(['req', '-new', ...newKey, '-keyout', key, '-out', csr, '-subj', subject], `Making the ${name} key`);
      await run(['x509', '-req', '-in', csr, '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-set_serial', String(serial + 2), '-days', '2', '-extfile', ext, '-out', cert], `Signing the ${name} certificate`);
      return [name, { cert, key }] as const;
    }),
  );
  return {
    dir: o.dir,
    caCert: file('ca.crt'),
    caKey: file('ca.key'),
    serviceAccountKey: file('sa.key'),
    serviceAccountPub: file('sa.pub'),
    identities: Object.fromEntries(issued) as ClusterPki['identities'],
  };
}
