import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, repoRoot } from '../helpers/cli.ts';

const dir = path.join('node_modules', '.cache', `agentdrill-cli-test-${process.pid}`);

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('close', (code) => resolve({ code, out }));
  });
}

afterAll(() => fs.rmSync(path.join(repoRoot, dir), { recursive: true, force: true }));

describe('the CLI bundle', () => {
  it('is built once when two CLIs start together, and both run from it', async () => {
    const env = { AGENTDRILL_CLI_BUNDLE_DIR: dir };
    const [a, b] = await Promise.all([cli(['--version'], env), cli(['--version'], env)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.out).toBe(b.out);
    const built = fs.readdirSync(path.join(repoRoot, dir));
    expect(built).toHaveLength(1);
    expect(fs.existsSync(path.join(repoRoot, dir, built[0]!, 'main.mjs'))).toBe(true);
  });

  it('runs the sources through tsx when switched off or pointed outside the package, with the same answer', async () => {
    const bundled = await cli(['--version'], { AGENTDRILL_CLI_BUNDLE_DIR: dir });
    for (const asked of ['off', '/tmp']) {
      const run = await cli(['--version'], { AGENTDRILL_CLI_BUNDLE_DIR: asked });
      expect(run).toEqual(bundled);
    }
  });
});
