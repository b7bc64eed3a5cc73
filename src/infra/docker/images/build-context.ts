import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Progress } from '../../provider.ts';
import { docker, imageExists } from '../docker-cli.ts';

/** One file of a build context: written from `content`, or linked from a host file `source`. */
export interface ContextFile {
  path: string;
  content?: string;
  source?: string;
  mode?: number;
}

export interface BuiltImage {
  tag: string;
  outcome: 'cached' | 'built';
}

/** sha256 over every file's path, mode and bytes: the same context always gives the same tag. */
export async function contextHash(files: readonly ContextFile[]): Promise<string> {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const bytes = f.source ? await fs.readFile(f.source) : Buffer.from(f.content ?? '');
    hash.update(`${f.path}\0${f.mode ?? 0o644}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex').slice(0, 12);
}

/** How buildImage builds; the defaults are a drill's: `agentdrill/`, reuse a present tag, layer cache on. */
export interface BuildOptions {
  /** The tag's repository prefix: `<repository>/<name>:<hash>`. Default `agentdrill`. */
  repository?: string;
  /** `docker build --no-cache`, and build even when the tag exists (a cold build, for the bench). */
  noCache?: boolean;
}

/**
 * Builds `agentdrill/<name>:<context hash>` with the classic builder (the engine here has no
 * buildx), unless that tag already exists. The context holds only the listed files, hard-linked
 * where possible, so the upload to the engine is the jars and nothing else. BuildOptions change
 * the repository or force a `--no-cache` build (the bench's cold builds).
 */
export async function buildImage(o: { name: string; files: readonly ContextFile[]; progress: Progress } & BuildOptions): Promise<BuiltImage> {
  const repository = o.repository ?? 'agentdrill';
  const noCache = o.noCache ?? false;
  const tag = `${repository}/${o.name}:${await contextHash(o.files)}`;
  if (!noCache && (await imageExists(tag))) return { tag, outcome: 'cached' };
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `agentdrill-ctx-${o.name}-`));
  try {
    for (const f of o.files) {
      const target = path.join(dir, f.path);
      await fs.mkdir(path.dirname(target), { recursive: true });
      // A hard link shares the cache file's mode; only written files get `mode` (never chmod the cache).
      if (f.source) await fs.link(f.source, target).catch(() => fs.copyFile(f.source!, target));
      else await fs.writeFile(target, f.content ?? '', { mode: f.mode ?? 0o644 });
    }
    o.progress(`Building ${tag} (docker build, classic builder)…`);
    await docker(['build', ...(noCache ? ['--no-cache'] : []), '--label', 'agentdrill.image=1', '-t', tag, dir], {
      what: `Building image ${tag}`,
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
      timeoutMs: 15 * 60_000,
      errorCode: 'PROVISION_FAILED',
      // Only the step headers: apt's output would drown the progress.
      onLine: (line) => {
        if (/^Step \d+\/\d+ :/.test(line)) o.progress(`  ${o.name}: ${line.slice(0, 120)}`);
      },
    });
    return { tag, outcome: 'built' };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
