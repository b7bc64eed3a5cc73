import type { Problem } from '../core/errors.ts';
import { fileLimits } from '../core/user-file.ts';
import type { FaultSpec } from '../faults/registry.ts';
import { resolveValue } from '../fleet/definition/resolve.ts';
import type { FleetDefinition } from '../fleet/definition/schema.ts';
import { imageExists, docker } from '../infra/docker/docker-cli.ts';
import { requireEngine } from '../infra/docker/engine.ts';
import { findExecutable } from '../infra/local/host-tools.ts';
import { invalidFile } from '../input/invalid.ts';
import { locatorFor } from '../input/locate-file.ts';

/**
 * What the chosen provider can run of a team's fleet, checked before anything starts (exit 2):
 * the provider is known only now (`--provider` overrides the scenario). Under docker with agents
 * in containers an agent runs from its image, elsewhere from its command; memory is grown only
 * in a container's memory cgroup; an image that is neither here, nor built, nor pullable stops
 * the drill at its line rather than after Kafka came up.
 */
/**
 * Faults whose drills have passed on --provider kubernetes (kill-consumer, downstream-backlog's
 * latency, corrupt-state, the reactive memory drill: test/integration/kubernetes-drill.test.ts);
 * others are refused, not guessed at. memory-growth through the agent's own leak switch, or
 * memory pressure joined to the pod's memory cgroup (faults/cgroup-pressure.ts).
 */
const kubernetesFaults: ReadonlySet<string> = new Set(['kill-consumer', 'latency', 'corrupt-state', 'memory-growth']);

/** Whether the provider runs a fleet file's agents from their images (containers, pods) rather than their commands. */
export function providerRunsImages(provider: string, agentsInContainers: boolean): boolean {
  return (provider === 'docker' && agentsInContainers) || provider === 'kubernetes';
}

export async function checkProviderFit(args: { scenarioFile: string; fleet: FleetDefinition; fault: FaultSpec; provider: string; agentsInContainers: boolean; env?: NodeJS.ProcessEnv }): Promise<void> {
  const { fleet } = args;
  const runsImages = providerRunsImages(args.provider, args.agentsInContainers);
  // Under kubernetes every agent is a pod: one left as a host process would not be drilled where it runs.
  const needsImage = args.provider === 'kubernetes';
  const fleetAt = locatorFor(fleet.file, { kind: 'fleet file', maxBytes: fileLimits.fleet });
  const problems: Problem[] = [];
  for (const agent of Object.values(fleet.agents)) {
    if (needsImage ? agent.image : agent.command || (runsImages && agent.image)) continue;
    if (needsImage) {
      problems.push({
        file: fleet.file,
        ...fleetAt(['agents', agent.name]),
        message: `agent "${agent.name}" has no image, and --provider kubernetes runs every agent as a pod from its image`,
        hint: `add image: (and build: where it is built from a Dockerfile) to agents.${agent.name}`,
      });
      continue;
    }
    problems.push({
      file: fleet.file,
      ...fleetAt(['agents', agent.name]),
      message: `agent "${agent.name}" has only an image, and --provider ${args.provider} runs agents from their command`,
      hint: `add command: { argv: [...] } to agents.${agent.name}, or run with --provider docker (agents in containers)`,
    });
  }
  if (runsImages) problems.push(...(await missingImages(fleet, fleetAt, args.env ?? process.env)));
  if (problems.length > 0) throw invalidFile('FLEET_INVALID', 'fleet file', fleet.file, problems);
  if (args.provider === 'kubernetes' && !kubernetesFaults.has(args.fault.type)) {
    const at = locatorFor(args.scenarioFile, { kind: 'scenario', maxBytes: fileLimits.scenario })(['fault', 'type']);
    throw invalidFile('SCENARIO_INVALID', 'scenario', args.scenarioFile, [
      {
        file: args.scenarioFile,
        ...at,
        message: `${args.fault.type} has not been drilled on --provider kubernetes yet (only ${[...kubernetesFaults].join(', ')})`,
        hint: 'run it with --provider docker, which runs the same images as containers',
      },
    ]);
  }
  // An agent with a leak switch of its own grows under any provider; others need their container.
  const ownLeak = args.fault.type === 'memory-growth' && fleet.agents[args.fault.target]?.admin?.leak !== undefined;
  if (args.fault.type === 'memory-growth' && !runsImages && !ownLeak) {
    const at = locatorFor(args.scenarioFile, { kind: 'scenario', maxBytes: fileLimits.scenario })(['fault', 'type']);
    throw invalidFile('SCENARIO_INVALID', 'scenario', args.scenarioFile, [
      {
        file: args.scenarioFile,
        ...at,
        message: `memory-growth on a team's agent needs its container: the drill grows memory in the agent's own memory cgroup, which --provider ${args.provider} does not give it`,
        hint: 'run it with --provider docker (the agent needs an image:), or give the agent a leak switch of its own (admin: { url, leak: { rate } }); locally the harness would need root and a cgroup of its own for each agent',
      },
    ]);
  }
}

/** Images without `build:` must be on the engine already, or be pullable now. */
async function missingImages(fleet: FleetDefinition, at: (path: readonly PropertyKey[]) => { line: number; column: number }, env: NodeJS.ProcessEnv): Promise<Problem[]> {
  // No CLI: the provider's own start says so, with its hint.
  if (!findExecutable('docker')) return [];
  // Without an engine every image would read as missing: say that there is no engine instead.
  if (Object.values(fleet.agents).some((a) => a.image && !a.build)) await requireEngine(env);
  const problems: Problem[] = [];
  for (const agent of Object.values(fleet.agents)) {
    if (!agent.image || agent.build) continue;
    let tag: string;
    try {
      tag = resolveValue(fleet, agent.image, { 'agent.name': agent.name }, { prefix: '', bootstrap: '', deps: {}, env }, `agents.${agent.name}.image`);
    } catch {
      continue; // a tag per instance, known only at start
    }
    if (await imageExists(tag)) continue;
    const pulled = await docker(['pull', '--quiet', tag], { what: `docker pull ${tag}`, timeoutMs: 120_000 }).then(
      () => true as const,
      (e: unknown) => (e as Error).message.split('\n')[0] ?? 'pull failed',
    );
    if (pulled === true) continue;
    problems.push({
      file: fleet.file,
      ...at(['agents', agent.name, 'image']),
      message: `image "${tag}" of agent "${agent.name}" is not on this Docker engine and could not be pulled (${pulled.slice(0, 200)})`,
      hint: `build it (docker build -t ${tag} ...), add build: { context: <folder with its Dockerfile> } to agents.${agent.name}, or fix the tag`,
    });
  }
  return problems;
}

