import fs from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../../../core/settings.ts';
import type { Progress } from '../../provider.ts';
import { buildImage, type BuildOptions, type BuiltImage, type ContextFile } from './build-context.ts';
import { pruneAgentImages } from './prune.ts';

/** What the agents import at run time: kafkajs, and tsx (with its esbuild) to run the .ts sources. */
const runtimePackages = ['kafkajs', 'tsx', 'esbuild', `@esbuild/${process.platform}-${process.arch}`];

/**
 * The reference agents' image: `src/`, `package.json` and only the node_modules the agents load,
 * tagged by the content hash so an unchanged tree reuses the image. On the local Debian base
 * (no registry) the host's own `node` binary goes in too: it needs only glibc, libstdc++ and
 * libgcc, all in the minbase, and Node ≥ 20 is the harness's own requirement. On `node:<major>-slim`
 * (where a registry answers) the image's node is used (`bundleNode: false`).
 */
export async function buildAgentImage(o: { baseTag: string; progress: Progress; bundleNode?: boolean; build?: BuildOptions }): Promise<BuiltImage> {
  const bundleNode = o.bundleNode ?? true;
  const dockerfile = [
    `FROM ${o.baseTag}`,
    ...(bundleNode ? ['COPY node /usr/local/bin/node', `LABEL agentdrill.node.version=${process.version}`] : []),
    'COPY app/ /app/',
    'WORKDIR /app',
    '',
  ].join('\n');
  const files: ContextFile[] = [
    { path: 'Dockerfile', content: dockerfile },
    ...(bundleNode ? [{ path: 'node', source: process.execPath }] : []),
    { path: 'app/package.json', source: path.join(packageRoot, 'package.json') },
  ];
  for (const file of await listFiles(path.join(packageRoot, 'src'))) {
    files.push({ path: `app/src/${file}`, source: path.join(packageRoot, 'src', file) });
  }
  for (const pkg of runtimePackages) {
    const dir = path.join(packageRoot, 'node_modules', pkg);
    for (const file of await listFiles(dir)) files.push({ path: `app/node_modules/${pkg}/${file}`, source: path.join(dir, file) });
  }
  const image = await buildImage({ ...o.build, name: 'agent', progress: o.progress, files });
  // Only agentdrill's own repository piles up; a throwaway repository (the bench's) is its caller's to remove.
  if (image.outcome === 'built' && !o.build?.repository) {
    const pruned = await pruneAgentImages();
    if (pruned.removed.length > 0) o.progress(`Removed ${pruned.removed.length} older agent image(s): ${pruned.removed.join(', ')}`);
  }
  return image;
}

/** Regular files under `root`, relative, sorted; symlinks and missing folders are skipped. */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(child);
      else if (e.isFile()) out.push(child);
    }
  };
  await walk('');
  return out.sort();
}
