import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AgentdrillError } from '../../../core/errors.ts';
import { findExecutable, runTool } from '../../local/host-tools.ts';
import type { Progress } from '../../provider.ts';
import { docker, imageExists } from '../docker-cli.ts';
import { rootPrefix, sweepAbandonedRoots } from './abandoned-roots.ts';

/** What the base is made of; changing it changes the tag, so an old base is never reused by mistake. */
const recipe = { suite: 'bookworm', variant: 'minbase', mirror: 'http://deb.debian.org/debian', revision: 1 };

export function baseImageTag(): string {
  const hash = createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 12);
  return `agentdrill/base:${hash}`;
}

/**
 * A Debian base with no registry at all: debootstrap into a temp dir, then `docker import` of its
 * tar. About 35 s + 7 s cold; reused while the tag exists in the engine. `o.tag` builds the same
 * recipe under another tag (the bench's cold build, which must not remove the real base).
 */
export async function ensureBaseImage(progress: Progress, o: { tag?: string } = {}): Promise<string> {
  const tag = o.tag ?? baseImageTag();
  if (await imageExists(tag)) return tag;
  const debootstrap = await requireDebootstrap(progress);
  await sweepAbandonedRoots(os.tmpdir(), progress);
  const root = await fs.mkdtemp(path.join(os.tmpdir(), rootPrefix()));
  try {
    progress(`Building ${tag}: debootstrap --variant=${recipe.variant} ${recipe.suite} (first time only, ~35 s)…`);
    await runTool(debootstrap, [`--variant=${recipe.variant}`, recipe.suite, root, recipe.mirror], {
      cwd: os.tmpdir(),
      what: 'debootstrap of the Debian base image',
      hint: 'debootstrap needs root and a reachable Debian mirror',
      timeoutMs: 10 * 60_000,
    });
    // Package lists are 40+ MB the image does not need: images that add packages run apt-get update.
    await fs.rm(path.join(root, 'var/lib/apt/lists'), { recursive: true, force: true });
    await fs.mkdir(path.join(root, 'var/lib/apt/lists/partial'), { recursive: true });
    progress(`Importing the base root filesystem as ${tag}…`);
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const tarDone = new Promise<number | null>((resolve) => tar.on('close', resolve));
    await docker(['import', '-', tag], { what: `docker import of ${tag}`, stdin: tar.stdout, timeoutMs: 5 * 60_000, errorCode: 'PROVISION_FAILED' });
    if ((await tarDone) !== 0) throw new AgentdrillError('PROVISION_FAILED', `tar of the base root filesystem failed`);
    return tag;
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

async function requireDebootstrap(progress: Progress): Promise<string> {
  const existing = findExecutable('debootstrap') ?? findExecutable('debootstrap', { PATH: '/usr/sbin:/sbin' });
  if (existing) return existing;
  if (process.getuid?.() !== 0) {
    throw new AgentdrillError('TOOL_MISSING', '`debootstrap` is needed to build the base image without a registry', {
      hint: 'as root: apt-get install -y debootstrap (image builds need root)',
    });
  }
  progress('Installing debootstrap with apt-get…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runTool('apt-get', ['update'], { cwd: '/', env, what: 'apt-get update', timeoutMs: 5 * 60_000 });
  await runTool('apt-get', ['install', '-y', '-o', 'DPkg::Lock::Timeout=300', 'debootstrap'], { cwd: '/', env, what: 'apt-get install debootstrap', timeoutMs: 5 * 60_000 });
  const installed = findExecutable('debootstrap', { PATH: '/usr/sbin:/sbin:/usr/bin' });
  if (!installed) throw new AgentdrillError('TOOL_MISSING', 'apt-get installed debootstrap but it is not on PATH');
  return installed;
}
