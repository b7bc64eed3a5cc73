import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../core/ports.ts';
import { spawnTethered, type TetheredChild } from '../local/child-process.ts';
import { runTool } from '../local/host-tools.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { renderCniConflist, renderContainerdConfig, renderKubeletConfig, type NodePaths } from './node-config.ts';
import { nodeMasks, nodeNamespaceScript } from './node-namespace.ts';
import type { NodeNetwork } from './node-network.ts';
import type { ClusterPki } from './pki.ts';
import { waitUntilReady } from './readiness.ts';
import type { KubernetesBinaries } from './versions.ts';

export interface RunningNode {
  name: string;
  paths: NodePaths;
  containerd: TetheredChild;
  kubelet: TetheredChild;
  /** `/proc/<pid>/ns/mnt` of the node's mount namespace, to find anything left in it. */
  mountNamespace: string;
}

export interface NodeTools {
  unshare: string;
  containerd: string;
  nsenter: string;
  ctr: string;
}

export function nodePaths(dir: string): NodePaths {
  const p = (...parts: string[]) => path.join(dir, ...parts);
  return {
    containerdRoot: p('containerd', 'root'),
    containerdState: p('containerd', 'state'),
    containerdSocket: p('containerd', 'containerd.sock'),
    containerdTtrpcSocket: p('containerd', 'containerd-ttrpc.sock'),
    containerdOpt: p('containerd', 'opt'),
    runcRoot: p('containerd', 'runc'),
    cniConfDir: p('cni', 'net.d'),
    cniDataDir: p('cni', 'ipam'),
    kubeletRoot: p('kubelet'),
    podLogsDir: p('pod-logs'),
    volumePluginDir: p('kubelet-plugins'),
  };
}

/** containerd (in the node's own mount namespace), the images, then the kubelet joining that namespace. */
export async function startNode(o: {
  bins: KubernetesBinaries;
  tools: NodeTools;
  dir: string;
  name: string;
  net: NodeNetwork;
  pki: ClusterPki;
  server: string;
  cgroupRoot: string;
  images: string[];
  timeoutMs: number;
}): Promise<RunningNode> {
  const paths = nodePaths(o.dir);
  for (const d of [paths.containerdRoot, paths.containerdState, paths.cniConfDir, paths.cniDataDir, paths.kubeletRoot, paths.podLogsDir]) fs.mkdirSync(d, { recursive: true });
  const [streamPort, kubeletPort, healthzPort] = [await freePort(), await freePort(), await freePort()];
  const containerdConfig = path.join(o.dir, 'containerd.toml');
  fs.writeFileSync(containerdConfig, renderContainerdConfig(paths, { streamPort }));
  fs.writeFileSync(path.join(paths.cniConfDir, '10-agentdrill.conflist'), renderCniConflist(o.net, paths));

  const masks = nodeMasks(o.dir);
  const containerd = spawnTethered({
    name: 'containerd',
    command: o.tools.unshare,
    args: ['--mount', '--propagation', 'private', '/bin/sh', '-c', nodeNamespaceScript, 'agentdrill-node', ...masks, '--', o.tools.containerd, '--config', containerdConfig, '--log-level', 'warn'],
    cwd: o.dir,
    logFile: path.join(o.dir, 'containerd.log'),
  });
  const started: TetheredChild[] = [containerd];
  try {
    const ctr = (args: string[], what: string) => runTool(o.tools.ctr, ['--address', paths.containerdSocket, ...args], { what, timeoutMs: 60_000, errorCode: 'INFRA_START_FAILED' });
    await waitUntilReady(containerd, 'containerd', () => ctr(['version'], 'containerd version').then(() => true, () => false), o.timeoutMs);
    const mountNamespace = fs.readlinkSync(`/proc/${containerd.pid}/ns/mnt`);
    for (const image of o.images) await ctr(['-n', 'k8s.io', 'images', 'import', image], `Importing ${path.basename(image)} into the node`);

    const id = o.pki.identities;
    const kubeconfig = await writeKubeconfig(path.join(o.dir, 'kubelet.kubeconfig'), { server: o.server, caCert: o.pki.caCert, ...id.kubelet });
    const kubeletConfig = path.join(o.dir, 'kubelet.yaml');
    fs.writeFileSync(
      kubeletConfig,
      renderKubeletConfig(o.net, paths, { cgroupRoot: o.cgroupRoot, port: kubeletPort, healthzPort, caCert: o.pki.caCert, servingCert: id.kubeletServing.cert, servingKey: id.kubeletServing.key }),
    );
    const kubelet = spawnTethered({
      name: 'kubelet',
      command: o.tools.nsenter,
      args: [
        `--mount=/proc/${containerd.pid}/ns/mnt`,
        '--',
        o.bins.kubelet,
        `--config=${kubeletConfig}`,
        `--kubeconfig=${kubeconfig}`,
        `--root-dir=${paths.kubeletRoot}`,
        `--hostname-override=${o.name}`,
        `--node-ip=${o.net.nodeIp}`,
        '--v=1',
      ],
      cwd: o.dir,
      logFile: path.join(o.dir, 'kubelet.log'),
    });
    started.push(kubelet);
    const healthz = `http://127.0.0.1:${healthzPort}/healthz`;
    await waitUntilReady(kubelet, 'kubelet', async () => (await fetch(healthz, { signal: AbortSignal.timeout(2000) }).then((r) => r.text()).catch(() => '')) === 'ok', o.timeoutMs);
    return { name: o.name, paths, containerd, kubelet, mountNamespace };
  } catch (e) {
    for (const child of started.reverse()) await child.stop(3000);
    throw e;
  }
}
