import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentdrillError } from '../../core/errors.ts';
import type { Progress } from '../provider.ts';
import type { TetheredChild } from '../local/child-process.ts';
import { runTool } from '../local/host-tools.ts';
import { startControlPlane } from './control-plane.ts';
import { createCgroupRoot, setCpuShares } from './host-cleanup.ts';
import { requireClusterTools } from './host-packages.ts';
import { leftoversOf, sweepFootprint, type ClusterFootprint, type Leftovers } from './host-sweep.ts';
import { chooseNodeNetwork, createBridge, type NodeNetwork } from './node-network.ts';
import { startReaper } from './node-reaper.ts';
import { clusterParentDir, writeFootprintFile } from './cluster-gc.ts';
import { startNode } from './node.ts';
import { createPki } from './pki.ts';
import { getTls, type TlsClient } from './readiness.ts';
import type { KubernetesBinaries } from './versions.ts';

export interface KubernetesClusterOptions {
  /** From provisionKubernetes. */
  binaries: KubernetesBinaries;
  progress?: Progress;
  /** Extra docker-archive tarballs to import into the node (workload images; pods use imagePullPolicy: Never). */
  images?: string[];
  /** Parent of the cluster's folder; default the system temp dir. */
  parentDir?: string;
  /** Per part (etcd, API server, containerd, kubelet, node Ready). */
  timeoutMs?: number;
}

/**
 * A single-node Kubernetes cluster on this machine with real pods: a configured cluster that is
 * not running yet. `start()` returns the only handle that can be used or stopped.
 */
export class KubernetesCluster {
  constructor(private readonly options: KubernetesClusterOptions) {}

  async start(): Promise<StartedKubernetesCluster> {
    const o = this.options;
    const progress = o.progress ?? (() => undefined);
    const timeoutMs = o.timeoutMs ?? 90_000;
    const tools = requireClusterTools();
    const id = randomBytes(4).toString('hex');
    const dir = fs.mkdtempSync(path.join(o.parentDir ?? clusterParentDir(), `agentdrill-k8s-${id}-`));
    const net = chooseNodeNetwork(tools.ip, id);
    const footprint: ClusterFootprint = { dir, cgroupRoot: `/agentdrill-k8s-${id}`, bridge: net.bridge, ip: tools.ip };
    // For `infra gc --provider kubernetes`, when the harness and its reaper both died (kill -9 of the group).
    writeFootprintFile(footprint);
    // From here on, any exit of the harness removes what this cluster put on the machine.
    const onExit = () => sweepFootprint(footprint);
    process.once('exit', onExit);
    startReaper(footprint);
    const started = Date.now();
    const children: TetheredChild[] = [];
    try {
      createBridge(tools.ip, net);
      createCgroupRoot(footprint.cgroupRoot);
      const nodeName = `agentdrill-${id}`;
      const pki = await createPki({ openssl: tools.openssl, dir: path.join(dir, 'pki'), nodeName, nodeIp: net.nodeIp, serviceIp: net.serviceIp });
      progress('Starting etcd and the Kubernetes control plane…');
      const plane = await startControlPlane({ bins: o.binaries, dir, pki, net, timeoutMs });
      children.push(...plane.children);
      progress('Starting the node (containerd, kubelet)…');
      const node = await startNode({
        bins: o.binaries,
        tools,
        dir,
        name: nodeName,
        net,
        pki,
        server: plane.server,
        cgroupRoot: footprint.cgroupRoot,
        images: [o.binaries.pauseImageTar, ...(o.images ?? [])],
        timeoutMs,
      });
      footprint.mountNamespace = node.mountNamespace;
      fs.writeFileSync(path.join(dir, 'node-mount-namespace'), node.mountNamespace);
      children.push(node.kubelet, node.containerd);
      const admin = { ca: pki.caCert, cert: pki.identities.admin.cert, key: pki.identities.admin.key };
      await waitForApi(admin, plane.server, nodeName, timeoutMs, node.kubelet);
      progress(`Kubernetes cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s (node ${nodeName}, ${net.nodeIp})`);
      return new StartedKubernetesCluster({ footprint, children, onExit, server: plane.server, kubeconfig: plane.adminKubeconfig, nodeName, net, containerdSocket: node.paths.containerdSocket, ctr: tools.ctr, crictl: o.binaries.crictl });
    } catch (e) {
      await stopAll(children);
      sweepFootprint(footprint);
      process.off('exit', onExit);
      throw e;
    }
  }
}

/** Node Ready, and the `default` service account (pods are refused until the controller made it). */
async function waitForApi(admin: TlsClient, server: string, nodeName: string, timeoutMs: number, kubelet: TetheredChild): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ready = false;
  while (Date.now() < deadline && !kubelet.hasExited()) {
    const node = await getTls(`${server}/api/v1/nodes/${nodeName}`, admin);
    ready = node.status === 200 && /"type":"Ready","status":"True"/.test(node.body);
    if (ready && (await getTls(`${server}/api/v1/namespaces/default/serviceaccounts/default`, admin)).status === 200) return;
    await sleep(200);
  }
  throw new AgentdrillError('INFRA_START_FAILED', `The Kubernetes node ${nodeName} did not become ${ready ? 'usable (no default service account)' : 'Ready'} within ${Math.round(timeoutMs / 1000)} s`, {
    hint: `Logs: ${path.dirname(kubelet.logFile)}/{kubelet,containerd,kube-controller-manager}.log`,
  });
}

async function stopAll(children: TetheredChild[]): Promise<void> {
  // Node first, so the kubelet restarts nothing while the rest goes; the API server needs a
  // deadline (it lingers after one SIGTERM).
  for (const child of [...children].reverse()) await child.stop(3000);
}

export class StartedKubernetesCluster {
  readonly server: string;
  /** Admin (system:masters) kubeconfig for @kubernetes/client-node or kubectl. */
  readonly kubeconfig: string;
  readonly nodeName: string;
  readonly nodeIp: string;
  /** The node's network bridge; the pods' veths are its ports. */
  readonly bridge: string;
  /** The kubelet's cgroup root (in every hierarchy); the pods' cgroups are under it. */
  readonly cgroupRoot: string;
  /** The cluster's folder: logs of every part, certificates, the node's state. Removed at stop. */
  readonly dir: string;
  private readonly s: { footprint: ClusterFootprint; children: TetheredChild[]; onExit: () => void; net: NodeNetwork; containerdSocket: string; ctr: string; crictl: string };
  private stopping: Promise<Leftovers> | undefined;

  constructor(s: StartedKubernetesCluster['s'] & { server: string; kubeconfig: string; nodeName: string }) {
    this.s = s;
    this.server = s.server;
    this.kubeconfig = s.kubeconfig;
    this.nodeName = s.nodeName;
    this.nodeIp = s.net.nodeIp;
    this.bridge = s.net.bridge;
    this.cgroupRoot = s.footprint.cgroupRoot;
    this.dir = s.footprint.dir;
  }

  /** Arguments that point crictl (from the cache) at this node's containerd. */
  crictl(): { bin: string; args: string[] } {
    return { bin: this.s.crictl, args: ['--runtime-endpoint', `unix://${this.s.containerdSocket}`, '--image-endpoint', `unix://${this.s.containerdSocket}`] };
  }

  /** `ctr` arguments for the node's containerd, in the namespace the kubelet uses. */
  ctr(): { bin: string; args: string[] } {
    return { bin: this.s.ctr, args: ['--address', this.s.containerdSocket, '-n', 'k8s.io'] };
  }

  /** The node's CPU weight against the machine's other processes (cgroup v1 cpu.shares; 1024 is one process's). */
  setCpuShares(shares: number): boolean {
    return setCpuShares(this.cgroupRoot, shares);
  }

  /** Imports a docker-archive tarball into the node's containerd after start (a fleet's images, built per drill). */
  async importImage(tar: string, timeoutMs = 10 * 60_000): Promise<void> {
    const { bin, args } = this.ctr();
    await runTool(bin, [...args, 'images', 'import', tar], { what: `Importing ${path.basename(tar)} into the node`, timeoutMs, errorCode: 'FLEET_FAILED' });
  }

  /**
   * Stops every part and removes everything the cluster put on the machine; resolves to what is
   * left (all lists empty when clean). Idempotent.
   */
  stop(): Promise<Leftovers> {
    this.stopping ??= (async () => {
      await stopAll(this.s.children);
      const left = sweepFootprint(this.s.footprint);
      process.off('exit', this.s.onExit);
      return left;
    })();
    return this.stopping;
  }

  leftovers(): Leftovers {
    return leftoversOf(this.s.footprint);
  }
}

