import type { Progress } from '../../infra/provider.ts';
import { AgentdrillError } from '../../core/errors.ts';
import { docker, type DockerRunOptions } from '../../infra/docker/docker-cli.ts';
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
    await buildImage(
      ['build', '--tag', tag, ...(build.dockerfile ? ['--file', build.dockerfile] : []), ...Object.entries(build.args).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]), build.context],
      {
        what: `Building ${tag} (agents.${agent.name}.build in ${fleet.file})`,
        hint: `run the same docker build by hand to see the whole output; the context is ${build.context}`,
        timeoutMs: imageBuildTimeoutMs,
        env: { ...process.env, DOCKER_BUILDKIT: '0' },
        errorCode: 'FLEET_FAILED',
      },
      { args: build.args, fields: Object.keys(build.args).map((k) => `agents.${agent.name}.build.args.${k}`) },
    );
    progress(`image: ${tag} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

/**
 * One `docker build`. A base the engine cannot pull (no registry answers, as on air-gapped
 * machines) is the common failure: the error then says which base, and that any image already in
 * the engine can stand in through the build's arguments.
 */
async function buildImage(args: string[], options: DockerRunOptions, buildArgs: { args: Record<string, string>; fields: string[] }): Promise<void> {
  try {
    await docker(args, options);
  } catch (e) {
    const base = e instanceof AgentdrillError ? unpullableBase(e.message, buildArgs.args) : undefined;
    if (!base) throw e;
    const via = buildArgs.fields.length ? `name one in ${buildArgs.fields.join(' or ')} (the order pipeline's fleet file reads it from ORDER_PIPELINE_BASE)` : 'add a build argument for the FROM line and name one there';
    throw new AgentdrillError('FLEET_FAILED', `${options.what} failed: its base image ${base} is not in the engine and cannot be pulled (no registry answered)`, {
      hint: `build on an image the engine has (docker images): ${via}; agentdrill images build makes a Debian base, agentdrill/base:<hash>, with no registry`,
      context: { base },
      cause: e,
    });
  }
}

const fetchFailed = /no such host|dial tcp|pull access denied|manifest unknown|not found: manifest|i\/o timeout|connection refused|TLS handshake/i;

/**
 * The FROM image of a build that failed to fetch it, from docker's output: the classic builder
 * prints `FROM ${BASE}` unexpanded, so a build argument (given, or the ARG's default) fills it.
 */
export function unpullableBase(output: string, args: Record<string, string>): string | undefined {
  // The FROM step the build stopped at: the one docker's next line is a fetch failure for.
  const from = [...output.matchAll(/Step \d+\/\d+ : FROM (\S+)[^\n]*\n(.*)/g)].find((m) => fetchFailed.test(m[2] ?? ''));
  if (!from) return undefined;
  return from[1]!.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => args[name] ?? new RegExp(`ARG ${name}=(\\S+)`).exec(output)?.[1] ?? whole);
}
