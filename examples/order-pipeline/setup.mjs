#!/usr/bin/env node
// Gathers the build context of the order pipeline's image (.build/image): this Node binary, the
// repository's src/ and package.json, and the packages the agents load at run time (kafkajs, and
// tsx with its esbuild). Files are hard-linked where the filesystem allows. A stamp of every
// file's path, size and modification time says whether the context is current, so a drill that
// finds nothing changed spends a few milliseconds here.
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

const files = contextFiles();
const stamp = stampOf(files);
const stampFile = path.join(target, '.stamp');
if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
  console.log(`order-pipeline setup: image context current (${target})`);
} else {
  const started = Date.now();
  // Built aside and renamed: a drill that starts meanwhile never sees half a context.
  const tmp = path.join(here, '.build', `.image-${randomBytes(4).toString('hex')}`);
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
    fs.rmSync(target, { recursive: true, force: true });
    try {
      fs.renameSync(tmp, target);
    } catch (e) {
      // Another drill's setup finished first with the same files: its context is as good as ours.
      if (!fs.existsSync(stampFile) || fs.readFileSync(stampFile, 'utf8') !== stamp) throw e;
    }
    console.log(`order-pipeline setup: image context of ${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s (${target})`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
