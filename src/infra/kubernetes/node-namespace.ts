import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findExecutable } from '../local/host-tools.ts';

/**
 * The kubelet sets these host sysctls at start when they differ (vm.overcommit_memory 0→1,
 * kernel.panic_on_oops 0→1, …) and refuses to start with protectKernelDefaults instead. On a
 * shared machine a kernel oops would then take it down. The node's mount namespace shows the
 * kubelet files with the values it wants, so it changes nothing and its writes land in our files.
 */
const kubeletSysctls: Record<string, string> = {
  'vm/overcommit_memory': '1',
  'vm/panic_on_oom': '0',
  'kernel/panic': '10',
  'kernel/panic_on_oops': '1',
  'kernel/keys/root_maxkeys': '1000000',
  'kernel/keys/root_maxbytes': '25000000',
};

/**
 * Runs as `unshare --mount --propagation private sh -c SCRIPT node MASK… -- COMMAND…` for
 * containerd; the kubelet joins the same namespace with nsenter. So containerd, its shims, runc,
 * the CNI plugins and the kubelet see one private set of mounts: the overlay root filesystems,
 * the pods' network-namespace pins and volume mounts exist only there and vanish with it, and
 * the machine's mount table never sees them.
 * - /run: containerd 1.6 puts shim sockets in /run/containerd/s whatever its state dir is.
 * - /var/lib: the CNI library caches results in /var/lib/cni, not configurable in containerd 1.6.
 * - /var/log: the kubelet links every container's log into /var/log/containers, a fixed path.
 * - MASK pairs bind a file over a path: the sysctls above, and iptables (the kubelet adds chains
 *   and INPUT/OUTPUT jumps to the machine's firewall at start and re-adds them every minute).
 */
export const nodeNamespaceScript = `set -eu
mount -t tmpfs -o mode=0755,size=64m agentdrill-node-run /run
mkdir -p /run/containerd
mount -t tmpfs -o mode=0755,size=64m agentdrill-node-var-lib /var/lib
mkdir -p /var/lib/cni
mount -t tmpfs -o mode=0755,size=16m agentdrill-node-var-log /var/log
while [ "$1" != "--" ]; do
  mount --bind "$1" "$2"
  shift 2
done
shift
exec "$@"
`;

/** MASK pairs for the script above; writes the files they bind into `dir`. */
export function nodeMasks(dir: string): string[] {
  const pairs: string[] = [];
  for (const [key, wanted] of Object.entries(kubeletSysctls)) {
    const target = `/proc/sys/${key}`;
    const current = readOr(target);
    if (current === undefined || current === wanted) continue;
    const file = path.join(dir, `sysctl-${key.replaceAll('/', '.')}`);
    writeFileSync(file, `${wanted}\n`);
    pairs.push(file, target);
  }
  const stub = path.join(dir, 'iptables-absent');
  // Not exit 1: the kubelet reads exit status 1 of `iptables -N` as "chain exists".
  writeFileSync(stub, '#!/bin/sh\necho "iptables is not available on this agentdrill node" >&2\nexit 3\n', { mode: 0o755 });
  const firewallTools = new Set<string>();
  for (const name of ['iptables', 'ip6tables', 'iptables-save', 'iptables-restore', 'ip6tables-save', 'ip6tables-restore', 'iptables-legacy', 'iptables-nft']) {
    const found = findExecutable(name);
    if (found) firewallTools.add(realpathSync(found));
  }
  for (const tool of firewallTools) pairs.push(stub, tool);
  return pairs;
}

function readOr(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}
