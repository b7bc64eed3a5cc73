import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { AgentdrillError } from '../../core/errors.ts';
import type { Settings } from '../../core/settings.ts';
import { ensureArtifact } from '../cache-lock.ts';
import type { Progress } from '../provider.ts';
import { isExecutableFile, requireTool, runTool } from './host-tools.ts';
import { assertSafeVersion } from './provision-kafka.ts';

export interface ToxiproxyBinary {
  bin: string;
  version: string;
}

const modulePath = 'github.com/Shopify/toxiproxy/v2';

/** toxiproxy-server: AGENTDRILL_TOXIPROXY_BIN if set, else built once into the cache by `go install`. */
export async function provisionToxiproxy(settings: Settings, progress: Progress): Promise<ToxiproxyBinary> {
  if (settings.toxiproxyBin) return toxiproxyFromBin(settings.toxiproxyBin);
  const version = settings.toxiproxyVersion;
  assertSafeVersion(version, 'AGENTDRILL_TOXIPROXY_VERSION');
  const dir = path.join(settings.cacheDir, `toxiproxy-${version}`);
  const bin = path.join(dir, 'bin', 'toxiproxy-server');
  const outcome = await ensureArtifact(dir, (tmp) => buildWithGo(version, tmp, progress), {
    onWait: () => progress(`Waiting for another agentdrill run to finish building Toxiproxy ${version}…`),
  });
  if (outcome === 'built') progress(`Toxiproxy ${version} built and cached`);
  return { bin, version };
}

async function buildWithGo(version: string, tmp: string, progress: Progress): Promise<void> {
  const go = requireTool('go', `build Toxiproxy ${version}`);
  progress(`Building Toxiproxy ${version} with go install (first run only, ~30 s)…`);
  const binDir = path.join(tmp, 'bin');
  await runTool(
    go,
    [
      'install',
      // toxiproxy.Version lives in the module's root package (version.go); release builds set it the same way.
      `-ldflags=-X ${modulePath}.Version=${version}`,
      `${modulePath}/cmd/server@${version}`,
    ],
    {
      cwd: tmp,
      // CGO off: a static binary that needs no C toolchain on the machine.
      env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0' },
      what: `Building Toxiproxy ${version} with go install`,
      hint: `Check that Toxiproxy ${version} exists (github.com/Shopify/toxiproxy releases) and that Go can reach its module proxy; or set AGENTDRILL_TOXIPROXY_BIN`,
      timeoutMs: 15 * 60_000,
    },
  );
  // `go install` names the binary after its folder (cmd/server); a clear name makes `ps` readable.
  await fs.rename(path.join(binDir, 'server'), path.join(binDir, 'toxiproxy-server'));
}

async function toxiproxyFromBin(bin: string): Promise<ToxiproxyBinary> {
  if (!isExecutableFile(bin)) {
    throw new AgentdrillError('PROVISION_FAILED', `AGENTDRILL_TOXIPROXY_BIN=${bin} is not an executable file`, {
      hint: 'Point AGENTDRILL_TOXIPROXY_BIN at a toxiproxy-server binary, or unset it to build one with Go',
    });
  }
  // Prints "toxiproxy-server version v2.12.0"; an unexpected format only costs us the version label.
  const out = await promisify(execFile)(bin, ['-version'], { timeout: 10_000 }).catch(() => ({ stdout: '' }));
  const version = /version\s+(\S+)/.exec(out.stdout)?.[1] ?? 'unknown';
  return { bin, version };
}
