import { stringify } from 'yaml';
import { cniBinDir } from './host-packages.ts';
import type { NodeNetwork } from './node-network.ts';
import { pauseImage } from './versions.ts';

export interface NodePaths {
  containerdRoot: string;
  containerdState: string;
  containerdSocket: string;
  containerdTtrpcSocket: string;
  containerdOpt: string;
  runcRoot: string;
  cniConfDir: string;
  cniDataDir: string;
  kubeletRoot: string;
  podLogsDir: string;
  volumePluginDir: string;
}

/**
 * containerd 1.6 for the node: all its folders and sockets its own, so it never meets the machine's
 * other containerd (the Docker engine's). Why each CRI setting:
 * - restrict_oom_score_adj: root here lacks CAP_SYS_RESOURCE, so runc cannot give the sandbox the
 *   negative oom_score_adj the kubelet asks for and every sandbox would fail to start.
 * - netns_mounts_under_state_dir: pod network namespaces are pinned under our state, not /run/netns.
 * - SystemdCgroup = false: no systemd; cgroupfs, as the kubelet is told too.
 * Snapshotters and plugins that would probe or load kernel modules are disabled.
 */
export function renderContainerdConfig(p: NodePaths, o: { streamPort: number }): string {
  const q = JSON.stringify;
  return `version = 2
root = ${q(p.containerdRoot)}
state = ${q(p.containerdState)}
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = ${q(p.containerdSocket)}

[ttrpc]
  address = ${q(p.containerdTtrpcSocket)}

[plugins."io.containerd.internal.v1.opt"]
  path = ${q(p.containerdOpt)}

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = ${q(pauseImage)}
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = ${q(String(o.streamPort))}
  disable_apparmor = true
  enable_selinux = false

  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"

    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = ${q(p.runcRoot)}

  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = ${q(cniBinDir)}
    conf_dir = ${q(p.cniConfDir)}
`;
}

/**
 * The pod network: our own bridge (made and removed by the cluster, not by the plugin), so the
 * plugin never enables IP forwarding or adds NAT rules on the machine. Pods get an address from
 * the node's /24 and a default route via the bridge's address, which is the node's IP.
 */
export function renderCniConflist(net: NodeNetwork, p: NodePaths): string {
  return JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'agentdrill',
      plugins: [
        {
          type: 'bridge',
          bridge: net.bridge,
          isGateway: false,
          ipMasq: false,
          ipam: {
            type: 'host-local',
            dataDir: p.cniDataDir,
            ranges: [[{ subnet: net.podSubnet, rangeStart: net.podRangeStart, rangeEnd: net.podRangeEnd, gateway: net.nodeIp }]],
            routes: [{ dst: '0.0.0.0/0', gw: net.nodeIp }],
          },
        },
        { type: 'loopback' },
      ],
    },
    null,
    2,
  );
}

/**
 * The kubelet: cgroupfs on cgroup v1 under a cgroup root of its own, all state under its own
 * folder, serving on the node IP (the API server refuses to proxy logs and exec to loopback).
 * Image GC off: the node's images are imported, never pulled, and must not be collected.
 * Eviction thresholds low: a shared machine's free memory moves with other people's work.
 */
export function renderKubeletConfig(net: NodeNetwork, p: NodePaths, o: { cgroupRoot: string; port: number; healthzPort: number; caCert: string; servingCert: string; servingKey: string }): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: net.nodeIp,
    port: o.port,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: o.healthzPort,
    tlsCertFile: o.servingCert,
    tlsPrivateKeyFile: o.servingKey,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: false }, x509: { clientCAFile: o.caCert } },
    authorization: { mode: 'AlwaysAllow' },
    cgroupDriver: 'cgroupfs',
    cgroupRoot: o.cgroupRoot,
    cgroupsPerQOS: true,
    failCgroupV1: false,
    failSwapOn: false,
    protectKernelDefaults: false,
    containerRuntimeEndpoint: `unix://${p.containerdSocket}`,
    podLogsDir: p.podLogsDir,
    // Its default, /usr/libexec/kubernetes/…, is created at start (FlexVolume probing).
    volumePluginDir: p.volumePluginDir,
    resolvConf: '/etc/resolv.conf',
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: { 'memory.available': '50Mi', 'nodefs.available': '1%', 'imagefs.available': '1%' },
    serializeImagePulls: false,
    nodeStatusUpdateFrequency: '5s',
    syncFrequency: '10s',
    fileCheckFrequency: '10s',
    maxPods: 50,
  });
}
