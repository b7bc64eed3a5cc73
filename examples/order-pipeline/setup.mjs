#!/usr/bin/env node
// Gathers the build context of the order pipeline's image (.build/image): this Node binary, the
// repository's src/ and package.json, and the packages the agents load at run time (kafkajs, and
// tsx with its esbuild). Files are hard-linked where the filesystem allows. A stamp of every
// file's path, size and modification time says whether the context is current, so a drill that
// finds nothing changed spends a few milliseconds here. Setups that run at once take turns
// (a lock folder beside the context), so they never rebuild it under each other.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const target = path.join(here, '.build', 'image');
const runtimePackages = ['kafkajs', 'tsx', 'esbuild', `@esbuild/${process.platform}-${process.arch}`];

/** [path in the context, path on this machine] for every file the image needs. */
function contextFiles() {
  const files = [
    ['node', process.execPath],
    ['app/package.json', path.join(repo, 'package.json')],
  ];
  for (const file of listFiles(path.join(repo, 'src'))) files.push([`app/src/${file}`, path.join(repo, 'src', file)]);
  for (const pkg of runtimePackages) {
    const dir = path.join(repo, 'node_modules', pkg);
    if (!fs.existsSync(dir)) throw new Error(`${dir} is missing: run npm ci in ${repo}`);
    for (const file of listFiles(dir)) files.push([`app/node_modules/${pkg}/${file}`, path.join(dir, file)]);
  }
  return files;
}

function listFiles(root, rel = '') {
  return fs
    .readdirSync(path.join(root, rel), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) return listFiles(root, child);
      return e.isFile() ? [child] : [];
    });
}

function stampOf(files) {
  const hash = createHash('sha256');
  for (const [to, from] of files) {
    const s = fs.statSync(from);
    hash.update(`${to}\0${s.size}\0${s.mtimeMs}\0${s.mode}\n`);
  }
  return hash.digest('hex');
}

const lockDir = path.join(here, '.build', 'image.lock');
const lockWaitMs = 10 * 60_000;

/**
 * Two drills may run this setup at once (a suite, two engineers on one checkout). One gathers the
 * context while the others wait, then find it current: without the lock each would rebuild, and
 * one's swap could remove the context another drill's image build is reading.
 */
async function withLock(fn) {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + lockWaitMs;
  let waiting = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'owner'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    if (lockAbandoned()) {
      // Renamed aside first: of two waiters that both saw it abandoned, only one takes it away.
      const aside = `${lockDir}-stale-${randomBytes(4).toString('hex')}`;
      try {
        fs.renameSync(lockDir, aside);
        fs.rmSync(aside, { recursive: true, force: true });
      } catch {
        // The other waiter moved it first.
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`order-pipeline setup: ${lockDir} is still held after ${lockWaitMs / 1000} s; remove it if no setup is running`);
    if (!waiting) console.log(`order-pipeline setup: waiting for another setup (${lockDir})`);
    waiting = true;
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/** The lock's owner has exited (killed mid-setup): its lock protects nothing any more. */
function lockAbandoned() {
  let pid;
  try {
    pid = Number(fs.readFileSync(path.join(lockDir, 'owner'), 'utf8'));
  } catch {
    // Made but not yet written (its owner is between the two calls), or just released.
    return lockOlderThan(5000);
  }
  if (!Number.isInteger(pid) || pid <= 0) return lockOlderThan(5000);
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return e.code === 'ESRCH';
  }
}

function lockOlderThan(ms) {
  try {
    return Date.now() - fs.statSync(lockDir).mtimeMs > ms;
  } catch {
    return false;
  }
}

function gather() {
  const files = contextFiles();
  const stamp = stampOf(files);
  const stampFile = path.join(target, '.stamp');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    console.log(`order-pipeline setup: image context current (${target})`);
    return;
  }
  const started = Date.now();
  // Built aside, then swapped in by two renames: the old context is removed only once the new one is whole.
  const tmp = path.join(here, '.build', `.image-${randomBytes(4).toString('hex')}`);
  const old = `${tmp}-old`;
  try {
    for (const [to, from] of files) {
      const dest = path.join(tmp, to);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      try {
        fs.linkSync(from, dest);
      } catch {
        fs.copyFileSync(from, dest);
        fs.chmodSync(dest, fs.statSync(from).mode);
      }
    }
    fs.writeFileSync(path.join(tmp, '.stamp'), stamp);
    if (fs.existsSync(target)) fs.renameSync(target, old);
    fs.renameSync(tmp, target);
    console.log(`order-pipeline setup: image context of ${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s (${target})`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(old, { recursive: true, force: true });
  }
}

await withLock(gather);
