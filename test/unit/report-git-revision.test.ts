import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitRevisionOf } from '../../src/report/index.ts';

let dir: string;
// git is not among agentdrill's requirements; without it the revision is simply absent (tested below).
const hasGit = (() => {
  try {
    execFileSync('git', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } }).trim();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agentdrill-git-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('gitRevisionOf', () => {
  it.skipIf(!hasGit)('names the commit that last touched the runbook, +dirty when it has local changes', async () => {
    git('init', '-q');
    const runbook = join(dir, 'runbook.md');
    await writeFile(runbook, '# v1\n');
    git('add', 'runbook.md');
    git('commit', '-q', '-m', 'runbook');
    const head = git('rev-parse', 'HEAD');
    await writeFile(join(dir, 'other.md'), 'x');
    git('add', 'other.md');
    git('commit', '-q', '-m', 'unrelated');
    expect(await gitRevisionOf(runbook)).toBe(head);
    await writeFile(runbook, '# v2\n');
    expect(await gitRevisionOf(runbook)).toBe(`${head}+dirty`);
  });

  it('is undefined outside git and for an untracked file', async () => {
    await writeFile(join(dir, 'runbook.md'), '# v1\n');
    expect(await gitRevisionOf(join(dir, 'runbook.md'))).toBeUndefined();
    if (!hasGit) return;
    git('init', '-q');
    expect(await gitRevisionOf(join(dir, 'runbook.md'))).toBeUndefined();
  });
});
