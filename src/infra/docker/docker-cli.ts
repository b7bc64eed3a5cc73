import { AgentdrillError } from '../../core/errors.ts';
import { findExecutable, runToolOutput, type RunToolOptions } from '../local/host-tools.ts';

/** runTool's options; the timeout defaults to two minutes, the error code to INFRA_START_FAILED. */
export type DockerRunOptions = Omit<RunToolOptions, 'timeoutMs' | 'cwd'> & { timeoutMs?: number };

/**
 * The docker CLI, for what testcontainers does not cover (networks with labels, image builds and
 * imports, gc by label). It honors DOCKER_HOST like testcontainers does, so both see one engine.
 * Resolves with stdout alone (callers parse `--format` output); errors quote both streams.
 */
export function docker(args: string[], o: DockerRunOptions): Promise<string> {
  const bin = findExecutable('docker');
  if (!bin) {
    return Promise.reject(
      new AgentdrillError('TOOL_MISSING', '`docker` was not found on PATH; the docker provider needs the Docker CLI', {
        hint: 'apt-get install -y docker.io (or install Docker Desktop), or use --provider local',
      }),
    );
  }
  return runToolOutput(bin, args, { ...o, timeoutMs: o.timeoutMs ?? 120_000, errorCode: o.errorCode ?? 'INFRA_START_FAILED' }).then((r) => r.stdout);
}

/** True when the image exists in the engine (`docker image inspect` answers). */
export async function imageExists(tag: string): Promise<boolean> {
  return docker(['image', 'inspect', '--format', '{{.Id}}', tag], { what: `Inspecting ${tag}`, timeoutMs: 30_000 }).then(
    () => true,
    () => false,
  );
}
