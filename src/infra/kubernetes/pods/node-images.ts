import fs from 'node:fs';
import path from 'node:path';
import { docker } from '../../docker/docker-cli.ts';
import type { Progress } from '../../provider.ts';
import type { StartedKubernetesCluster } from '../cluster.ts';
import { dnsLabel } from './pod-spec.ts';

/**
 * A fleet's images, built on the shared docker engine (buildTeamImages), copied into the node's
 * containerd once per drill: `docker save` to a tarball in the drill's folder, `ctr images import`,
 * the tarball removed. There is no registry between them, so pods use imagePullPolicy: Never.
 */
export function nodeImages(cluster: StartedKubernetesCluster, workDir: string, progress: Progress): (tag: string) => Promise<void> {
  const imported = new Map<string, Promise<void>>();
  return (tag) => {
    let done = imported.get(tag);
    if (!done) {
      done = copy(cluster, workDir, progress, tag);
      imported.set(tag, done);
      // A failed copy is tried again on the next launch, not remembered.
      done.catch(() => imported.delete(tag));
    }
    return done;
  };
}

async function copy(cluster: StartedKubernetesCluster, workDir: string, progress: Progress, tag: string): Promise<void> {
  const started = Date.now();
  fs.mkdirSync(workDir, { recursive: true });
  const tar = path.join(workDir, `${dnsLabel(tag, 100)}.tar`);
  try {
    await docker(['save', '--output', tar, tag], { what: `Saving ${tag} from the docker engine`, timeoutMs: 10 * 60_000, errorCode: 'FLEET_FAILED' });
    await cluster.importImage(tar);
  } finally {
    fs.rmSync(tar, { force: true });
  }
  progress(`image: ${tag} imported into the node in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
