import { afterEach, describe, expect, it } from 'vitest';
import { isAgentdrillError } from '../../src/core/errors.ts';
import { exitCodeForError, ExitCode } from '../../src/core/exit-codes.ts';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { requireEngine } from '../../src/infra/docker/engine.ts';
import { startDocker } from '../../src/infra/docker/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** A socket path nothing listens on: the engine the drill is pointed at does not answer. */
const nowhere = `unix://${tempDir('agentdrill-no-engine-')}/docker.sock`;
const saved = process.env.DOCKER_HOST;
afterEach(() => {
  if (saved === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = saved;
});

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('docker provider without an engine', () => {
  it('requireEngine answers ENGINE_UNREACHABLE, an exit 4', async () => {
    const e = await failure(requireEngine({ ...process.env, DOCKER_HOST: nowhere }));
    expect(isAgentdrillError(e) && e.code).toBe('ENGINE_UNREACHABLE');
    expect(isAgentdrillError(e) && e.hint).toBeTruthy();
    expect(exitCodeForError('ENGINE_UNREACHABLE')).toBe(ExitCode.harnessError);
  });

  it('startDocker says so before it pulls, provisions or builds anything', async () => {
    process.env.DOCKER_HOST = nowhere;
    const progress: string[] = [];
    const started = Date.now();
    const e = await failure(startDocker({ settings: settingsFromEnv(), progress: (m) => progress.push(m), workDir: tempDir('agentdrill-no-engine-drill-'), drillId: 'no-engine' }));
    expect(isAgentdrillError(e) && e.code).toBe('ENGINE_UNREACHABLE');
    // Nothing was attempted: no image, jar or base-image step reported progress.
    expect(progress).toEqual([]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
