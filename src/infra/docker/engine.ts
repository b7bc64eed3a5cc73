import { AgentdrillError, isAgentdrillError } from '../../core/errors.ts';
import { docker } from './docker-cli.ts';

/**
 * The engine's version, or ENGINE_UNREACHABLE when none answers. Asked before anything else the
 * docker provider does: without it, a drill would first spend minutes provisioning jars and
 * building a base image, only to fail on the first container with a build error.
 */
export async function requireEngine(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const where = env.DOCKER_HOST ? `DOCKER_HOST=${env.DOCKER_HOST}` : 'the default socket (unix:///var/run/docker.sock)';
  try {
    return (await docker(['version', '--format', '{{.Server.Version}}'], { what: 'Asking the Docker engine for its version', timeoutMs: 20_000, env })).trim();
  } catch (e) {
    // No docker CLI at all says so itself (TOOL_MISSING): a different fix.
    if (isAgentdrillError(e) && e.code === 'TOOL_MISSING') throw e;
    throw new AgentdrillError('ENGINE_UNREACHABLE', `no Docker engine answers at ${where}`, {
      hint: 'start one (sudo systemctl start docker, or dockerd; `node scripts/docker-engine.mjs` starts one as root) and point DOCKER_HOST at its socket, or use --provider local',
      cause: e,
    });
  }
}
