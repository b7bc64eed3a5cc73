import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { AgentdrillError } from '../core/errors.ts';

/** Written last into a finished artifact: its presence is the only proof the build completed. */
export const completeMarker = '.agentdrill-complete';

export async function isComplete(dir: string): Promise<boolean> {
  try {
    await fs.access(path.join(dir, completeMarker));
    return true;
  } catch {
    return false;
  }
}

export interface EnsureArtifactOptions {
  /** Called once when another process holds the lock, so the user knows why nothing moves. */
  onWait?: () => void;
  /** How long to wait for another process's build before giving up. */
  waitMs?: number;
}

/**
 * Builds the cache artifact `dir` at most once across concurrent runs. The build happens in a
 * private temp dir next to `dir` and is renamed into place only when complete, so a killed run
 * never leaves a half-filled artifact that a later run would trust; the lock keeps two runs from
 * doing the same minutes of Maven/Go work at once. proper-lockfile's lock is an mkdir plus an
 * mtime heartbeat, so a lock left by a SIGKILLed run goes stale and is taken over.
 */
export async function ensureArtifact(
  dir: string,
  build: (tmpDir: string) => Promise<void>,
  options: EnsureArtifactOptions = {},
): Promise<'cached' | 'built'> {
  if (await isComplete(dir)) return 'cached';
  await fs.mkdir(path.dirname(dir), { recursive: true });
  const lockOptions = { realpath: false, lockfilePath: `${dir}.lock` };
  if (await lockfile.check(dir, { ...lockOptions, stale: 20_000 })) options.onWait?.();
  let compromised: Error | undefined;
  const release = await lockfile
    .lock(dir, {
      ...lockOptions,
      stale: 20_000,
      retries: { retries: Math.ceil((options.waitMs ?? 900_000) / 1000), factor: 1, minTimeout: 1000, maxTimeout: 1000 },
      // The default handler throws from a timer and would crash the harness; fail the build instead.
      onCompromised: (e) => {
        compromised = e;
      },
    })
    .catch((e: unknown) => {
      throw new AgentdrillError('PROVISION_FAILED', `Could not lock ${dir} in the cache`, {
        hint: `Another agentdrill run may be stuck provisioning; if none is running, delete ${dir}.lock`,
        cause: e,
      });
    });
  try {
    if (await isComplete(dir)) return 'cached';
    await removeAbandonedTempDirs(dir);
    const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await fs.mkdir(tmp, { recursive: true });
    try {
      await build(tmp);
      if (compromised) throw compromised;
      await fs.writeFile(path.join(tmp, completeMarker), `${new Date().toISOString()}\n`);
      // An incomplete `dir` can only be debris from an older layout; replace it.
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rename(tmp, dir);
    } catch (e) {
      await fs.rm(tmp, { recursive: true, force: true });
      throw e;
    }
    return 'built';
  } finally {
    await release().catch(() => undefined);
  }
}

/** Holding the lock means no live build owns any temp dir of this artifact: they are leftovers. */
async function removeAbandonedTempDirs(dir: string): Promise<void> {
  const prefix = `${path.basename(dir)}.tmp-`;
  const entries = await fs.readdir(path.dirname(dir));
  for (const name of entries.filter((n) => n.startsWith(prefix))) {
    await fs.rm(path.join(path.dirname(dir), name), { recursive: true, force: true });
  }
}
