import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { stagingReplaces } from '../../src/infra/kubernetes/go-build.ts';
import { renderCniConflist, renderContainerdConfig, renderKubeletConfig } from '../../src/infra/kubernetes/node-config.ts';
import { nodePaths } from '../../src/infra/kubernetes/node.ts';
import type { NodeNetwork } from '../../src/infra/kubernetes/node-network.ts';

const net: NodeNetwork = {
  bridge: 'adk-0123abcd',
  nodeIp: '10.211.7.1',
  podSubnet: '10.211.7.0/24',
  podRangeStart: '10.211.7.10',
  podRangeEnd: '10.211.7.200',
  serviceCidr: '10.211.7.224/28',
  serviceIp: '10.211.7.225',
};
const paths = nodePaths('/tmp/agentdrill-k8s-x');

describe('Kubernetes node configuration', () => {
  it('pins every staging module that the upstream go.mod points at locally', () => {
    const goMod = 'replace (\n\tk8s.io/api => ./staging/src/k8s.io/api\n\tk8s.io/kubelet => ./staging/src/k8s.io/kubelet\n\tgithub.com/x/y => github.com/x/y v1.0.0\n)\n';
    expect(stagingReplaces(goMod, 'v0.34.4')).toEqual({ 'k8s.io/api': 'v0.34.4', 'k8s.io/kubelet': 'v0.34.4' });
  });

  it('keeps the pod network off the machine firewall and forwarding: no gateway, no masquerade, our IPAM folder', () => {
    const conf = JSON.parse(renderCniConflist(net, paths)) as { plugins: Record<string, any>[] };
    const bridge = conf.plugins[0]!;
    expect(bridge).toMatchObject({ type: 'bridge', bridge: net.bridge, isGateway: false, ipMasq: false });
    expect(bridge.ipam.dataDir).toBe(paths.cniDataDir);
    expect(bridge.ipam.routes).toEqual([{ dst: '0.0.0.0/0', gw: net.nodeIp }]);
    expect(conf.plugins.map((p) => p.type)).not.toContain('portmap');
  });

  it('gives containerd its own folders and sockets, and the settings this machine needs', () => {
    const toml = renderContainerdConfig(paths, { streamPort: 12345 });
    for (const own of [paths.containerdRoot, paths.containerdState, paths.containerdSocket, paths.runcRoot, paths.containerdOpt]) expect(toml).toContain(JSON.stringify(own));
    expect(toml).toContain('restrict_oom_score_adj = true');
    expect(toml).toContain('netns_mounts_under_state_dir = true');
    expect(toml).toContain('SystemdCgroup = false');
    expect(toml).toContain('sandbox_image = "agentdrill.local/pause:1"');
  });

  it('runs the kubelet on cgroupfs under its own cgroup root, serving on the node IP, image GC off', () => {
    const config = parse(
      renderKubeletConfig(net, paths, { cgroupRoot: '/agentdrill-k8s-x', port: 20001, healthzPort: 20002, caCert: 'ca.crt', servingCert: 's.crt', servingKey: 's.key' }),
    ) as Record<string, any>;
    expect(config).toMatchObject({ cgroupDriver: 'cgroupfs', cgroupRoot: '/agentdrill-k8s-x', failCgroupV1: false, address: net.nodeIp, port: 20001, readOnlyPort: 0 });
    expect(config.containerRuntimeEndpoint).toBe(`unix://${paths.containerdSocket}`);
    expect(config.imageGCHighThresholdPercent).toBe(100);
  });
});
