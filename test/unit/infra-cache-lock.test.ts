import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { completeMarker, ensureArtifact } from '../../src/infra/cache-lock.ts';

const roots: string[] = [];
function root(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-lock-'));
  roots.push(dir);
  return dir;
}
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

describe('ensureArtifact', () => {
  it('builds once when two callers race, and both see the finished artifact', async () => {
    const dir = path.join(root(), 'thing-1.0');
    let builds = 0;
    const build = async (tmp: string) => {
      builds++;
      await sleep(300);
      fs.writeFileSync(path.join(tmp, 'payload'), 'x');
    };
    const outcomes = await Promise.all([ensureArtifact(dir, build), ensureArtifact(dir, build)]);
    expect(builds).toBe(1);
    expect(outcomes.sort()).toEqual(['built', 'cached']);
    expect(fs.readFileSync(path.join(dir, 'payload'), 'utf8')).toBe('x');
    expect(fs.existsSync(path.join(dir, completeMarker))).toBe(true);
    expect(await ensureArtifact(dir, build)).toBe('cached');
  });

  it('leaves nothing behind when the build fails, and a later run succeeds', async () => {
    const parent = root();
    const dir = path.join(parent, 'thing-1.0');
    await expect(
      ensureArtifact(dir, async (tmp) => {
        fs.writeFileSync(path.join(tmp, 'half'), 'x');
        throw new Error('network down');
      }),
    ).rejects.toThrow('network down');
    expect(fs.readdirSync(parent).filter((n) => !n.endsWith('.lock'))).toEqual([]);
    expect(await ensureArtifact(dir, async () => undefined)).toBe('built');
  });

  it('replaces a killed run\'s leftovers (no marker, stray temp dirs)', async () => {
    const parent = root();
    const dir = path.join(parent, 'thing-1.0');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'partial'), 'x');
    fs.mkdirSync(`${dir}.tmp-99999-dead`);
    expect(await ensureArtifact(dir, async (tmp) => fs.writeFileSync(path.join(tmp, 'full'), 'y'))).toBe('built');
    expect(fs.readdirSync(dir).sort()).toEqual([completeMarker, 'full']);
    expect(fs.readdirSync(parent).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
