import { docker } from '../docker-cli.ts';

export interface LocalImage {
  /** `agentdrill/<name>:<tag>` */
  ref: string;
  repository: string;
  createdAt: string;
}

/** Every image agentdrill built or imported here (they all live under `agentdrill/`). */
export async function localImages(reference = 'agentdrill/*'): Promise<LocalImage[]> {
  const out = await docker(['images', '--filter', `reference=${reference}`, '--format', '{{.Repository}}:{{.Tag}}\t{{.CreatedAt}}'], {
    what: 'Listing agentdrill images',
    timeoutMs: 30_000,
  });
  return out
    .split('\n')
    .filter((line) => line.includes('\t') && !line.includes('<none>'))
    .map((line) => {
      const [ref, createdAt] = line.split('\t') as [string, string];
      return { ref, repository: ref.slice(0, ref.lastIndexOf(':')), createdAt };
    });
}

export interface Pruned {
  removed: string[];
  /** Still used by a container (a running drill's): left alone. */
  inUse: string[];
}

/**
 * Removes images one by one so an image a live drill still runs is kept (the engine refuses to
 * remove it) without stopping the rest. Unused layers go with the last tag that held them.
 */
export async function removeImages(refs: readonly string[]): Promise<Pruned> {
  const result: Pruned = { removed: [], inUse: [] };
  for (const ref of refs) {
    const removed = await docker(['rmi', ref], { what: `Removing image ${ref}`, timeoutMs: 60_000 }).then(
      () => true,
      () => false,
    );
    (removed ? result.removed : result.inUse).push(ref);
  }
  return result;
}
