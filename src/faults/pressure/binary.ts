import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageFile } from '../../core/settings.ts';
import { ensureArtifact } from '../../infra/cache-lock.ts';
import { requireTool, runTool } from '../../infra/local/host-tools.ts';

const source = packageFile('src', 'faults', 'pressure', 'main.go');

/**
 * The memory-pressure program (main.go beside this file), built once with Go into the cache under
 * a hash of its source: static, so it runs in any image, even one with no shell or libc.
 */
export async function pressureBinary(cacheDir: string, progress: (m: string) => void = () => undefined): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  const dir = path.join(cacheDir, `pressure-${hash}`);
  const bin = path.join(dir, 'agentdrill-pressure');
  await ensureArtifact(dir, async (tmp) => {
    const go = requireTool('go', 'build the memory-pressure program the memory-growth fault runs in a container');
    progress('Building the memory-pressure program with go build (first run only)…');
    await runTool(go, ['build', '-trimpath', '-ldflags=-s -w', '-o', path.join(tmp, 'agentdrill-pressure'), source], {
      cwd: tmp,
      env: { ...process.env, CGO_ENABLED: '0', GO111MODULE: 'off' },
      what: 'Building agentdrill-pressure with go build',
      timeoutMs: 10 * 60_000,
    });
  });
  return bin;
}
