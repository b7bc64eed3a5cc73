import fs from 'node:fs';
import https from 'node:https';
import { parse } from 'yaml';
import { settingsFromEnv } from '../src/core/settings.ts';
import { KubernetesCluster, provisionKubernetes, type StartedKubernetesCluster } from '../src/infra/kubernetes/index.ts';
import { getTls } from '../src/infra/kubernetes/readiness.ts';
import { withCleanup } from './cleanup.ts';

export interface KubernetesFigures {
  /** Provisioning as this run found the cache: a cold build when it was empty. */
  provisionMs: number;
  provisionCold: boolean;
  /** KubernetesCluster.start(): certificates, etcd, control plane, containerd, images, kubelet, node Ready. */
  startMs: number;
  /** From creating a pod of the node's pause image to the API reporting it Running. */
  podRunningMs: number;
  stopMs: number;
  clean: boolean;
}

/** The local cluster's bring-up: provision (cold when the cache is empty), warm start, a first pod, stop. */
export async function benchKubernetes(): Promise<KubernetesFigures> {
  const messages: string[] = [];
  let t = Date.now();
  const binaries = await provisionKubernetes(settingsFromEnv(), (m) => {
    messages.push(m);
    console.error(`  [kubernetes] ${m}`);
  });
  const provisionMs = Date.now() - t;
  let cluster: StartedKubernetesCluster | undefined;
  return withCleanup(
    async () => cluster?.stop(),
    async () => {
      t = Date.now();
      cluster = await new KubernetesCluster({ binaries }).start();
      const startMs = Date.now() - t;
      const podRunningMs = await timePod(cluster);
      t = Date.now();
      const left = await cluster.stop();
      const stopMs = Date.now() - t;
      return { provisionMs, provisionCold: messages.some((m) => m.includes('built and cached')), startMs, podRunningMs, stopMs, clean: Object.values(left).every((l) => l.length === 0) };
    },
  );
}

async function timePod(cluster: StartedKubernetesCluster): Promise<number> {
  const config = parse(fs.readFileSync(cluster.kubeconfig, 'utf8')) as { clusters: { cluster: { 'certificate-authority': string } }[]; users: { user: { 'client-certificate': string; 'client-key': string } }[] };
  const tls = { ca: config.clusters[0]!.cluster['certificate-authority'], cert: config.users[0]!.user['client-certificate'], key: config.users[0]!.user['client-key'] };
  const pod = { metadata: { name: 'bench' }, spec: { containers: [{ name: 'pause', image: 'agentdrill.local/pause:1', imagePullPolicy: 'Never' }] } };
  const t = Date.now();
  await new Promise<void>((resolve, reject) => {
    const url = new URL(`${cluster.server}/api/v1/namespaces/default/pods`);
    const req = https.request({ method: 'POST', hostname: url.hostname, port: url.port, path: url.pathname, ca: fs.readFileSync(tls.ca), cert: fs.readFileSync(tls.cert), key: fs.readFileSync(tls.key), headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`create pod: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify(pod));
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const got = await getTls(`${cluster.server}/api/v1/namespaces/default/pods/bench`, tls);
    if (got.status === 200 && /"phase":"Running"/.test(got.body)) return Date.now() - t;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the bench pod did not run within 120 s');
}
