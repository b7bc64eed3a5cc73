import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * examples/order-pipeline/setup.mjs on a repository of its own shape (src/, package.json, the
 * packages it gathers), so the test never touches the real .build/image: setups run at once take
 * turns, and the context they leave is whole.
 */
const setupScript = path.resolve('examples/order-pipeline/setup.mjs');
const packages = ['kafkajs', 'tsx', 'esbuild', `@esbuild/${process.platform}-${process.arch}`];

function fakeRepo(): { repo: string; setup: string; target: string } {
  const repo = tempDir('agentdrill-setup-');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    fs.writeFileSync(path.join(repo, rel), text);
  };
  write('package.json', '{}');
  // Enough files that a rebuild takes a while: two setups overlap.
  for (let i = 0; i < 400; i++) write(`src/dir-${i % 20}/file-${i}.ts`, `export const n = ${i};\n`.repeat(50));
  for (const pkg of packages) write(`node_modules/${pkg}/index.js`, `// ${pkg}\n`);
  const setup = path.join(repo, 'examples', 'order-pipeline', 'setup.mjs');
  fs.mkdirSync(path.dirname(setup), { recursive: true });
  fs.copyFileSync(setupScript, setup);
  return { repo, setup, target: path.join(repo, 'examples', 'order-pipeline', '.build', 'image') };
}

function runSetup(setup: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [setup], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

/** Every file of the fake repository is in the context, byte for byte. */
function contextWhole(repo: string, target: string): boolean {
  const src = fs.readdirSync(path.join(repo, 'src'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return src.every((e) => {
    const rel = path.relative(path.join(repo, 'src'), path.join(e.parentPath, e.name));
    const copy = path.join(target, 'app', 'src', rel);
    return fs.existsSync(copy) && fs.readFileSync(copy).equals(fs.readFileSync(path.join(e.parentPath, e.name)));
  });
}

describe('order-pipeline setup.mjs run by several drills at once', () => {
  it('one of them gathers a changed context, the others wait and find it current; nothing is left beside it', async () => {
    const { repo, setup, target } = fakeRepo();
    expect((await runSetup(setup)).code).toBe(0);
    fs.appendFileSync(path.join(repo, 'src', 'dir-0', 'file-0.ts'), '// changed\n');
    const runs = await Promise.all([1, 2, 3, 4].map(() => runSetup(setup)));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    // Exactly one rebuilt; the rest saw the context it left, current.
    expect(runs.filter((r) => r.out.includes('image context of ')).length).toBe(1);
    expect(contextWhole(repo, target)).toBe(true);
    expect(fs.readdirSync(path.dirname(target)).sort()).toEqual(['image']);
  });

  it('takes over a lock whose owner was killed mid-setup', async () => {
    const { repo, setup, target } = fakeRepo();
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = dead.pid!;
    await new Promise((r) => dead.once('exit', r));
    const lock = path.join(path.dirname(target), 'image.lock');
    fs.mkdirSync(lock, { recursive: true });
    fs.writeFileSync(path.join(lock, 'owner'), String(deadPid));
    const run = await runSetup(setup);
    expect(run.code).toBe(0);
    expect(contextWhole(repo, target)).toBe(true);
    expect(fs.existsSync(lock)).toBe(false);
  });
});
