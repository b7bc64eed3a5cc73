import fs from 'node:fs/promises';
import path from 'node:path';
import { findExecutable, runTool, runToolOutput } from '../local/host-tools.ts';
import type { Progress } from '../provider.ts';

export interface GoBuildContext {
  go: string;
  /** Scratch folder for the wrapper modules; the binaries go to `binDir`. */
  workDir: string;
  binDir: string;
  progress: Progress;
}

/** Static binaries: nothing on the machine but the kernel is needed to run them, and one Go cache serves all. */
const goEnv = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' };

/**
 * Runs `go` at lowered priority where `nice` exists: a cold build keeps both cores busy for many
 * minutes, and on a shared machine the other work should not starve meanwhile.
 */
export async function runGo(ctx: GoBuildContext, args: string[], o: { cwd: string; what: string; timeoutMs: number; env?: Record<string, string> }): Promise<string> {
  const nice = findExecutable('nice');
  const [file, fileArgs] = nice ? [nice, ['-n', '10', ctx.go, ...args]] : [ctx.go, args];
  return runTool(file, fileArgs, {
    cwd: o.cwd,
    env: { ...goEnv, ...o.env },
    what: o.what,
    hint: 'Check that Go can reach its module proxy (GOPROXY) and that the disk has ~6 GB free for the Go caches',
    timeoutMs: o.timeoutMs,
  });
}

/**
 * A long build prints nothing for minutes; say every minute that it is still going, so a user
 * (or CI log) can tell slow from stuck.
 */
export async function withHeartbeat<T>(progress: Progress, what: string, work: Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => progress(`  …still ${what} (${Math.round((Date.now() - started) / 60_000)} min)`), 60_000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/** Path to a downloaded module's go.mod in the module cache, via `go mod download -json`. */
export async function downloadedGoMod(ctx: GoBuildContext, module: string, cwd: string): Promise<string> {
  const out = await runToolOutput(ctx.go, ['mod', 'download', '-json', module], {
    cwd,
    env: goEnv,
    what: `Downloading ${module} from the Go module proxy`,
    timeoutMs: 10 * 60_000,
  });
  const parsed = JSON.parse(out.stdout) as { GoMod?: string };
  if (!parsed.GoMod) throw new Error(`go mod download printed no GoMod for ${module}`);
  return fs.readFile(parsed.GoMod, 'utf8');
}

/**
 * A module of our own that requires the real one: `go install pkg@version` refuses modules whose
 * go.mod has `replace` lines (Kubernetes, etcd), while a requiring module gets their released
 * dependencies resolved normally. `replaces` pins modules the upstream go.mod only points at
 * locally (Kubernetes's staging folders).
 */
export async function writeWrapperModule(dir: string, name: string, replaces: Record<string, string>): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const lines = Object.entries(replaces).map(([module, version]) => `\t${module} => ${module} ${version}`);
  const replaceBlock = lines.length > 0 ? `\nreplace (\n${lines.join('\n')}\n)\n` : '';
  await fs.writeFile(path.join(dir, 'go.mod'), `module agentdrill.local/${name}\n\ngo 1.24.0\n${replaceBlock}`);
}

/** `k8s.io/api => ./staging/src/k8s.io/api` in Kubernetes's go.mod: each such module, pinned to its release. */
export function stagingReplaces(upstreamGoMod: string, stagingVersion: string): Record<string, string> {
  const replaces: Record<string, string> = {};
  for (const match of upstreamGoMod.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\/src\/\1\s*$/gm)) {
    replaces[match[1]!] = stagingVersion;
  }
  return replaces;
}
