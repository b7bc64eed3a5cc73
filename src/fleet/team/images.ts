import type { Progress } from '../../infra/provider.ts';
import { docker } from '../../infra/docker/docker-cli.ts';
import { resolveAgentBuild, resolveValue, type DrillAddresses } from '../definition/resolve.ts';
import type { FleetDefinition } from '../definition/schema.ts';

/** A team's image on a busy machine: an apt layer and a pip install take minutes cold, a second cached. */
export const imageBuildTimeoutMs = 20 * 60_000;

/**
 * Builds every agent image that has a `build:`, as compose does, with the engine's layer cache
 * (an unchanged image is a cached build of a second or two). The classic builder: the docker CLI
 * may be newer than the engine and have no buildx.
 */
export async function buildTeamImages(fleet: FleetDefinition, at: DrillAddresses, progress: Progress): Promise<void> {
  // Agents that share one image and build (the order pipeline's four) build it once per drill.
  const built = new Set<string>();
  for (const agent of Object.values(fleet.agents)) {
    const build = resolveAgentBuild(fleet, agent.name, at);
    if (!build || !agent.image) continue;
    const tag = resolveValue(fleet, agent.image, { 'agent.name': agent.name }, at, `agents.${agent.name}.image`);
    const key = JSON.stringify([tag, build]);
    if (built.has(key)) continue;
    built.add(key);
    const started = Date.now();
    progress(`image: building ${tag} for ${agent.name} from ${build.context}`);
    await docker(
      ['build', '--tag', tag, ...(build.dockerfile ? ['--file', build.dockerfile] : []), ...Object.entries(build.args).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]), build.context],
      {
        what: `Building ${tag} (agents.${agent.name}.build in ${fleet.file})`,
        hint: `run the same docker build by hand to see the whole output; the context is ${build.context}`,
        timeoutMs: imageBuildTimeoutMs,
        env: { ...process.env, DOCKER_BUILDKIT: '0' },
        errorCode: 'FLEET_FAILED',
      },
    );
    progress(`image: ${tag} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
