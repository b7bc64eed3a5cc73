// The CLI runs from a bundle of src/ that esbuild makes on first use and keeps under a hash of
// the sources (node_modules/.cache/agentdrill-cli/<hash>/). Running the TypeScript through tsx's
// loader cost every agentdrill process about 35 MB of resident memory (the loader's own thread)
// and most of a second of start-up CPU, and the harness lives beside the fleet it drills. The
// hash covers every source file, so the bundle can never drift from the code: change a file and
// the next run builds a new one. Packages stay in node_modules (only src/ is bundled), which the
// bundle finds by Node's usual lookup upwards from node_modules/.cache.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// AGENTDRILL_CLI_BUNDLE_DIR moves it (inside the package, where node_modules is found) or, as
// `off`, runs the sources through tsx.
const asked = process.env.AGENTDRILL_CLI_BUNDLE_DIR;
const cacheDir = asked ? path.resolve(root, asked) : path.join(root, 'node_modules', '.cache', 'agentdrill-cli');
/** Older bundles kept beside the current one (another checkout's run may still use them). */
const keep = 3;

/** The bundle's entry module for the sources as they are now, built if it is not there yet. */
export async function cliBundle() {
  if (asked === 'off') throw new Error('AGENTDRILL_CLI_BUNDLE_DIR=off');
  if (path.relative(root, cacheDir).startsWith('..')) throw new Error(`AGENTDRILL_CLI_BUNDLE_DIR must be inside ${root}`);
  const dir = path.join(cacheDir, sourceHash());
  const entry = path.join(dir, 'main.mjs');
  if (isFile(entry)) return entry;
  const esbuild = await import('esbuild');
  const tmp = `${dir}.tmp-${process.pid}`;
  try {
    await esbuild.build({
      entryPoints: { main: path.join(root, 'src', 'cli', 'main.ts') },
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outExtension: { '.js': '.mjs' },
      logLevel: 'silent',
    });
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another agentdrill built the same sources first: theirs is the same bundle.
      if (!isFile(entry)) throw e;
    }
  } finally {
    // esbuild's service process would otherwise outlive the build until this process exits: a
    // process a drill did not start, which its leftover checks would rightly count.
    await esbuild.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  prune(path.basename(dir));
  return entry;
}

function sourceHash() {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(path.join(root, 'src')), path.join(root, 'package-lock.json'), path.join(root, 'node_modules', 'esbuild', 'package.json')]) {
    hash.update(path.relative(root, file)).update('\0');
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('(absent)');
    }
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(p));
    else if (/\.(ts|mts|mjs|js|json)$/.test(entry.name)) out.push(p);
  }
  return out;
}

function isFile(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function prune(current) {
  let entries;
  try {
    entries = readdirSync(cacheDir)
      .filter((name) => name !== current)
      .map((name) => ({ name, at: statSync(path.join(cacheDir, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
  } catch {
    return;
  }
  // A build's temporary folder outlives it only if that process died mid-build (builds take a second).
  const stale = entries.filter((e) => e.name.includes('.tmp-') && Date.now() - e.at > 10 * 60_000);
  const older = entries.filter((e) => !e.name.includes('.tmp-')).slice(keep);
  for (const { name } of [...stale, ...older]) rmSync(path.join(cacheDir, name), { recursive: true, force: true });
}
