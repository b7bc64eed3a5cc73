import fs from 'node:fs/promises';
import path from 'node:path';
import { packageFile, type Settings } from '../../core/settings.ts';
import { ensureArtifact } from '../cache-lock.ts';
import { requireTool } from '../local/host-tools.ts';
import type { Progress } from '../provider.ts';
import { buildCrictl, buildEtcd, buildKubectl, buildKubernetes } from './build-binaries.ts';
import { ensureNodePackages } from './host-packages.ts';
import { buildStaticImage } from './static-image.ts';
import { binariesIn, kubectlCacheDir, kubernetesCacheDir, kubernetesVersions as v, pauseImage, type KubernetesBinaries } from './versions.ts';

const pauseSource = packageFile('src', 'infra', 'kubernetes', 'images', 'pause.c');

/**
 * The cluster's parts, built once into the per-user cache (like Toxiproxy): etcd, the control
 * plane, the kubelet, crictl and the pause image, keyed by their versions. Cold: about 20 min on
 * two busy cores (the Go cache is shared, so a second version builds faster). Warm: a file check.
 */
export async function provisionKubernetes(settings: Settings, progress: Progress): Promise<KubernetesBinaries & { kubectl: string }> {
  await ensureNodePackages(progress);
  const dir = kubernetesCacheDir(settings.cacheDir);
  const started = Date.now();
  const outcome = await ensureArtifact(dir, (tmp) => buildAll(tmp, progress), {
    onWait: () => progress(`Waiting for another agentdrill run to finish building Kubernetes ${v.kubernetes}…`),
    // Another run's cold build takes this long; waiting beats building the same thing twice.
    waitMs: 90 * 60_000,
  });
  if (outcome === 'built') progress(`Kubernetes ${v.kubernetes} built and cached in ${Math.round((Date.now() - started) / 1000)} s: ${dir}`);
  return { ...binariesIn(dir), kubectl: await provisionKubectl(settings, progress) };
}

/** The release's kubectl, which runbook steps find on PATH (`kubectl` of another release may be too far off). */
async function provisionKubectl(settings: Settings, progress: Progress): Promise<string> {
  const dir = kubectlCacheDir(settings.cacheDir);
  const started = Date.now();
  const outcome = await ensureArtifact(
    dir,
    async (tmp) => {
      const go = requireTool('go', `build kubectl ${v.kubernetes}`);
      const ctx = { go, workDir: path.join(tmp, 'build'), binDir: path.join(tmp, 'bin'), progress };
      await fs.mkdir(ctx.workDir, { recursive: true });
      await fs.mkdir(ctx.binDir, { recursive: true });
      await buildKubectl(ctx);
      await fs.rm(ctx.workDir, { recursive: true, force: true });
    },
    { onWait: () => progress(`Waiting for another agentdrill run to finish building kubectl ${v.kubernetes}…`), waitMs: 60 * 60_000 },
  );
  if (outcome === 'built') progress(`kubectl ${v.kubernetes} built and cached in ${Math.round((Date.now() - started) / 1000)} s: ${dir}`);
  return path.join(dir, 'bin', 'kubectl');
}

async function buildAll(tmp: string, progress: Progress): Promise<void> {
  const go = requireTool('go', `build Kubernetes ${v.kubernetes}`);
  progress(`Building a local Kubernetes ${v.kubernetes} node from the Go module proxy (first run only; about 20 min on 2 cores)…`);
  const binaries = binariesIn(tmp);
  const binDir = path.dirname(binaries.kubelet);
  const ctx = { go, workDir: path.join(tmp, 'build'), binDir, progress };
  await fs.mkdir(ctx.workDir, { recursive: true });
  await fs.mkdir(binDir, { recursive: true });
  await buildStaticImage({ source: pauseSource, image: pauseImage, binaryPath: '/pause', outFile: binaries.pauseImageTar, workDir: path.join(tmp, 'pause') });
  // One after another: each already keeps both cores busy, and later ones reuse earlier ones' cache.
  await buildKubernetes(ctx);
  await buildEtcd(ctx);
  await buildCrictl(ctx);
  await fs.rm(ctx.workDir, { recursive: true, force: true });
}
