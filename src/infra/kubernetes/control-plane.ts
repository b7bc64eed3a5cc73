import path from 'node:path';
import { freePort } from '../../core/ports.ts';
import { spawnTethered, type TetheredChild } from '../local/child-process.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import type { NodeNetwork } from './node-network.ts';
import type { ClusterPki } from './pki.ts';
import { getTls, waitUntilReady } from './readiness.ts';
import type { KubernetesBinaries } from './versions.ts';

export interface RunningControlPlane {
  server: string;
  /** system:masters: what tests, and later the provider, talk to the API with. */
  adminKubeconfig: string;
  children: TetheredChild[];
}

const host = '127.0.0.1';

/**
 * etcd, then the API server (it needs etcd), then controller-manager and scheduler; all on
 * loopback ports from the drill's allocator. The API server advertises the node IP: the address
 * the `kubernetes` Service's endpoints carry.
 */
export async function startControlPlane(o: { bins: KubernetesBinaries; dir: string; pki: ClusterPki; net: NodeNetwork; timeoutMs: number }): Promise<RunningControlPlane> {
  const children: TetheredChild[] = [];
  const spawn = (name: string, command: string, args: string[]) => {
    const child = spawnTethered({ name, command, args, cwd: o.dir, logFile: path.join(o.dir, `${name}.log`) });
    children.push(child);
    return child;
  };
  try {
    const [etcdClient, etcdPeer, apiPort, cmPort, schedulerPort] = await allocate(5);
    const etcdUrl = `http://${host}:${etcdClient}`;
    const peerUrl = `http://${host}:${etcdPeer}`;
    const etcd = spawn('etcd', o.bins.etcd, [
      '--name=agentdrill',
      `--data-dir=${path.join(o.dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=agentdrill=${peerUrl}`,
      // A throwaway cluster: durability buys nothing, and fsync on a shared disk costs seconds.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    await waitUntilReady(etcd, 'etcd', async () => (await fetch(`${etcdUrl}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.text()).catch(() => '')).includes('"health":"true"'), o.timeoutMs);

    const pki = o.pki;
    const id = pki.identities;
    const server = `https://${host}:${apiPort}`;
    const apiserver = spawn('kube-apiserver', o.bins.kubeApiserver, [
      `--etcd-servers=${etcdUrl}`,
      `--bind-address=${host}`,
      `--secure-port=${apiPort}`,
      `--advertise-address=${o.net.nodeIp}`,
      `--cert-dir=${path.join(o.dir, 'apiserver')}`,
      `--tls-cert-file=${id.apiserver.cert}`,
      `--tls-private-key-file=${id.apiserver.key}`,
      `--client-ca-file=${pki.caCert}`,
      `--kubelet-client-certificate=${id.apiserverKubeletClient.cert}`,
      `--kubelet-client-key=${id.apiserverKubeletClient.key}`,
      '--kubelet-preferred-address-types=InternalIP',
      `--service-account-key-file=${pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-cluster-ip-range=${o.net.serviceCidr}`,
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      '--profiling=false',
    ]);
    const admin = { ca: pki.caCert, cert: id.admin.cert, key: id.admin.key };
    await waitUntilReady(apiserver, 'kube-apiserver', async () => (await getTls(`${server}/readyz`, admin)).status === 200, o.timeoutMs);

    const kubeconfig = (name: string, who: { cert: string; key: string }) => writeKubeconfig(path.join(o.dir, `${name}.kubeconfig`), { server, caCert: pki.caCert, ...who });
    const adminKubeconfig = await kubeconfig('admin', id.admin);
    spawn('kube-controller-manager', o.bins.kubeControllerManager, [
      `--kubeconfig=${await kubeconfig('controller-manager', id.controllerManager)}`,
      `--bind-address=${host}`,
      `--secure-port=${cmPort}`,
      // Each controller acts as its own service account, bound to its built-in role.
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${pki.serviceAccountKey}`,
      `--root-ca-file=${pki.caCert}`,
      // Its default, /usr/libexec/kubernetes/…, is created at start (FlexVolume probing).
      `--flex-volume-plugin-dir=${path.join(o.dir, 'controller-manager-flexvolume')}`,
      '--leader-elect=false',
      '--profiling=false',
    ]);
    spawn('kube-scheduler', o.bins.kubeScheduler, [
      `--kubeconfig=${await kubeconfig('scheduler', id.scheduler)}`,
      `--bind-address=${host}`,
      `--secure-port=${schedulerPort}`,
      '--leader-elect=false',
      '--profiling=false',
    ]);
    return { server, adminKubeconfig, children };
  } catch (e) {
    await Promise.all(children.map((c) => c.stop()));
    throw e;
  }
}

async function allocate(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort(host));
  return ports;
}
