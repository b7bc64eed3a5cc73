import path from 'node:path';
import { AgentdrillError } from '../../core/errors.ts';
import { downloadedGoMod, type GoBuildContext, runGo, stagingReplaces, withHeartbeat, writeWrapperModule } from './go-build.ts';
import { controlPlaneBinaries, kubernetesVersions as v, nodeBinaries } from './versions.ts';

const minutes = 60_000;

/** What `kubectl version` and the node's kubeletVersion show; a build from source would say v0.0.0-master otherwise. */
function versionLdflags(): string {
  const [major, minor] = v.kubernetes.slice(1).split('.');
  const base = 'k8s.io/component-base/version';
  return [`-X ${base}.gitVersion=${v.kubernetes}`, `-X ${base}.gitMajor=${major}`, `-X ${base}.gitMinor=${minor}`, '-s', '-w'].join(' ');
}

/**
 * kubelet, kube-apiserver, kube-controller-manager and kube-scheduler from one wrapper module.
 * kubelet first: it is the longest (about 12 min cold on two busy cores) and fills most of the Go
 * build cache the others then reuse (about 2 min each).
 */
export async function buildKubernetes(ctx: GoBuildContext): Promise<void> {
  await buildFromKubernetes(ctx, [...nodeBinaries, ...controlPlaneBinaries], (i) => (i === 0 ? 'about 12 min cold on 2 cores' : 'about 2 min'));
}

/**
 * kubectl of the cluster's own release, for runbook steps: built into a cache folder of its own,
 * so adding it did not invalidate the cluster's. About 2 min with the cluster's Go build cache.
 */
export async function buildKubectl(ctx: GoBuildContext): Promise<void> {
  await buildFromKubernetes(ctx, ['kubectl'], () => 'about 2 min after the cluster\'s build, longer cold');
}

/** Commands of k8s.io/kubernetes, built through a wrapper module that pins every staging module to the release. */
async function buildFromKubernetes(ctx: GoBuildContext, names: readonly string[], estimate: (i: number) => string): Promise<void> {
  const dir = path.join(ctx.workDir, 'kubernetes');
  await writeWrapperModule(dir, 'kubernetes-build', {});
  const upstream = await downloadedGoMod(ctx, `k8s.io/kubernetes@${v.kubernetes}`, dir);
  const replaces = stagingReplaces(upstream, v.staging);
  if (Object.keys(replaces).length < 10) {
    throw new AgentdrillError('PROVISION_FAILED', `k8s.io/kubernetes ${v.kubernetes}'s go.mod lists ${Object.keys(replaces).length} staging modules; expected about 30`, {
      hint: 'The layout of Kubernetes releases may have changed; report this with the Kubernetes version',
    });
  }
  await writeWrapperModule(dir, 'kubernetes-build', replaces);
  const packages = names.map((name) => `k8s.io/kubernetes/cmd/${name}@${v.kubernetes}`);
  ctx.progress(`Resolving Kubernetes ${v.kubernetes} modules…`);
  await runGo(ctx, ['get', ...packages], { cwd: dir, what: `Resolving Kubernetes ${v.kubernetes}`, timeoutMs: 15 * minutes });
  for (const [i, name] of names.entries()) {
    ctx.progress(`Building ${name} ${v.kubernetes} (${i + 1}/${names.length}, ${estimate(i)})…`);
    const build = runGo(ctx, ['build', '-trimpath', `-ldflags=${versionLdflags()}`, '-o', path.join(ctx.binDir, name), `k8s.io/kubernetes/cmd/${name}`], {
      cwd: dir,
      what: `Building ${name} ${v.kubernetes}`,
      timeoutMs: 60 * minutes,
    });
    await withHeartbeat(ctx.progress, `building ${name}`, build);
  }
}

/** etcd's server module also carries `replace` lines (its sibling modules), hence a wrapper too. */
export async function buildEtcd(ctx: GoBuildContext): Promise<void> {
  const dir = path.join(ctx.workDir, 'etcd');
  await writeWrapperModule(dir, 'etcd-build', {});
  ctx.progress(`Building etcd ${v.etcd} (about 1 min)…`);
  await runGo(ctx, ['get', `go.etcd.io/etcd/server/v3@${v.etcd}`], { cwd: dir, what: `Resolving etcd ${v.etcd}`, timeoutMs: 15 * minutes });
  const build = runGo(ctx, ['build', '-trimpath', '-ldflags=-s -w', '-o', path.join(ctx.binDir, 'etcd'), 'go.etcd.io/etcd/server/v3'], {
    cwd: dir,
    what: `Building etcd ${v.etcd}`,
    timeoutMs: 30 * minutes,
  });
  await withHeartbeat(ctx.progress, 'building etcd', build);
}

/** crictl installs plainly: its module has no replace lines. For looking inside the node's containerd. */
export async function buildCrictl(ctx: GoBuildContext): Promise<void> {
  ctx.progress(`Building crictl ${v.crictl}…`);
  await runGo(ctx, ['install', '-trimpath', '-ldflags=-s -w', `sigs.k8s.io/cri-tools/cmd/crictl@${v.crictl}`], {
    cwd: ctx.workDir,
    what: `Building crictl ${v.crictl}`,
    timeoutMs: 30 * minutes,
    env: { GOBIN: ctx.binDir },
  });
}
