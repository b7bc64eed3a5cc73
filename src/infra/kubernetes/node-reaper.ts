import { spawn } from 'node:child_process';
import type { ClusterFootprint } from './host-sweep.ts';

/**
 * The last line of defence when the harness dies without running any handler (SIGKILL, a
 * default-action signal, an OOM kill): the tethers stop the cluster's own processes, but
 * containerd's shims and the containers are not its children, and the cgroups, the bridge and the
 * folder outlive everyone. This detached shell waits for the harness to disappear, then does what
 * sweepFootprint does. A normal stop removes it with the rest (its arguments name the folder).
 */
const reaper = `
harness=$1 dir=$2 root=$3 bridge=$4 ip=$5
while kill -0 "$harness" 2>/dev/null; do sleep 1; done
ns=$(cat "$dir/node-mount-namespace" 2>/dev/null || true)
i=0
while [ $i -lt 20 ]; do
  found=0
  for p in /proc/[0-9]*; do
    pid=\${p#/proc/}
    [ "$pid" = "$$" ] && continue
    args=$(tr '\\0' ' ' < "$p/cmdline" 2>/dev/null) || continue
    case "$args" in *"$dir"*) kill -9 "$pid" 2>/dev/null && found=1 ;; esac
    if [ -n "$ns" ] && [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$ns" ]; then kill -9 "$pid" 2>/dev/null && found=1; fi
  done
  for cg in /sys/fs/cgroup/*/"$root"; do
    [ -d "$cg" ] || continue
    for pid in $(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null); do kill -9 "$pid" 2>/dev/null && found=1; done
  done
  [ $found = 0 ] && break
  sleep 0.2
  i=$((i+1))
done
for cg in /sys/fs/cgroup/*/"$root"; do [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null; done
"$ip" link del "$bridge" 2>/dev/null
rm -rf "$dir"
`;

export function startReaper(f: ClusterFootprint): void {
  const child = spawn('/bin/sh', ['-c', reaper, 'agentdrill-k8s-reaper', String(process.pid), f.dir, f.cgroupRoot, f.bridge, f.ip], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
}
