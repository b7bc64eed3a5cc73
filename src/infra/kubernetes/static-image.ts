import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { requireExecutable } from './host-packages.ts';
import { runTool } from '../local/host-tools.ts';

export interface StaticImageSpec {
  /** A single C file with a main(). */
  source: string;
  /** The image's name with tag, e.g. agentdrill.local/pause:1. */
  image: string;
  /** Where the binary sits in the image, e.g. /pause. */
  binaryPath: string;
  /** The docker-archive tarball to write. */
  outFile: string;
  /** Scratch folder, removed afterwards. */
  workDir: string;
}

/**
 * An image with one static binary and nothing else, as a docker-archive tarball
 * (manifest.json + config + one layer) that `ctr images import` takes: no registry and no
 * Docker engine are needed to give the node its pause image or a test its workload.
 */
export async function buildStaticImage(spec: StaticImageSpec): Promise<void> {
  const gcc = requireExecutable('gcc', 'compile the pause image (a few lines of C)', 'apt-get install -y gcc libc6-dev');
  const tar = requireExecutable('tar', 'pack container images', 'apt-get install -y tar');
  const layerRoot = path.join(spec.workDir, 'rootfs');
  const archiveRoot = path.join(spec.workDir, 'archive');
  await fs.rm(spec.workDir, { recursive: true, force: true });
  await fs.mkdir(path.dirname(path.join(layerRoot, spec.binaryPath)), { recursive: true });
  await fs.mkdir(archiveRoot, { recursive: true });
  const binary = path.join(layerRoot, spec.binaryPath);
  await runTool(gcc, ['-static', '-Os', '-s', '-o', binary, spec.source], { what: `Compiling ${path.basename(spec.source)}`, timeoutMs: 120_000 });

  // Fixed owner and time: the layer's digest depends only on the binary.
  const layerTar = path.join(spec.workDir, 'layer.tar');
  const fixed = ['--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '--sort=name'];
  await runTool(tar, [...fixed, '-C', layerRoot, '-cf', layerTar, '.'], { what: 'Packing the image layer', timeoutMs: 60_000 });
  const layer = await fs.readFile(layerTar);
  const layerDigest = sha256(layer);
  await fs.mkdir(path.join(archiveRoot, layerDigest), { recursive: true });
  await fs.rename(layerTar, path.join(archiveRoot, layerDigest, 'layer.tar'));

  const config = JSON.stringify({
    architecture: imageArch(),
    os: 'linux',
    config: { Entrypoint: [spec.binaryPath] },
    rootfs: { type: 'layers', diff_ids: [`sha256:${layerDigest}`] },
  });
  const configName = `${sha256(Buffer.from(config))}.json`;
  await fs.writeFile(path.join(archiveRoot, configName), config);
  const manifest = [{ Config: configName, RepoTags: [spec.image], Layers: [`${layerDigest}/layer.tar`] }];
  await fs.writeFile(path.join(archiveRoot, 'manifest.json'), JSON.stringify(manifest));
  await fs.mkdir(path.dirname(spec.outFile), { recursive: true });
  await runTool(tar, [...fixed, '-C', archiveRoot, '-cf', spec.outFile, '.'], { what: 'Packing the image archive', timeoutMs: 60_000 });
  await fs.rm(spec.workDir, { recursive: true, force: true });
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** OCI's names for Node's architectures. */
function imageArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}
