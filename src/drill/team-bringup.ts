import type { Admin, Kafka } from 'kafkajs';
import type { Toxiproxy } from 'toxiproxy-node-client';
import type { Clock } from '../core/clock.ts';
import type { Teardown } from '../core/teardown.ts';
import path from 'node:path';
import { runFleetSetup } from '../fleet/team/setup.ts';
import { startTeamFleet } from '../fleet/team/team-fleet.ts';
import { teamTopology } from '../fleet/team/topology.ts';
import { integrityGroupName } from '../fleet/team/traffic.ts';
import type { Progress, StartedInfra } from '../infra/provider.ts';
import { proxyDependency } from './dependency-proxy.ts';
import { deleteDrillTopics } from './drill-topics.ts';
import type { FleetUp } from './fleet-bringup.ts';
import type { PlannedFleet } from './plan.ts';
import { fleetFileVariables } from './step-environment.ts';
import { resolveAgentState } from '../fleet/definition/resolve.ts';
import type { FleetDefinition } from '../fleet/definition/schema.ts';

/**
 * A team's fleet file for one drill: its agents with an image run as containers under the docker
 * provider (agents in containers), the others as local processes; every dependency gets a proxy.
 */
export async function bringUpTeamFleet(args: {
  planned: Extract<PlannedFleet, { kind: 'file' }>;
  drillId: string;
  infra: StartedInfra;
  kafka: Kafka;
  admin: Admin;
  toxiproxy: Toxiproxy;
  workDir: string;
  progress: Progress;
  teardown: Teardown;
  signal: AbortSignal;
  clock?: Clock;
}): Promise<FleetUp> {
  const { planned, teardown } = args;
  await runFleetSetup({ fleet: planned.definition, deferredCommands: planned.deferredCommands, logDir: path.join(args.workDir, 'logs'), signal: args.signal, progress: args.progress });
  const proxies: Record<string, string> = {};
  // Registered before the start, which creates the topics: a start that fails half-way leaves none.
  const topology = teamTopology(planned.definition, planned.prefix);
  const integrityGroup = { [integrityGroupName]: `${planned.prefix}${integrityGroupName}` };
  teardown.add('drill topics', () => deleteDrillTopics(args.infra.kafka.bootstrapServers, { ...topology, groups: { ...topology.groups, ...integrityGroup } }));
  const fleet = await startTeamFleet({
    definition: planned.definition,
    prefix: planned.prefix,
    replicas: planned.replicas,
    ratePerSec: planned.ratePerSec,
    runTag: args.drillId,
    kafka: args.kafka,
    bootstrap: args.infra.kafka.bootstrapServers.join(','),
    admin: args.admin,
    workDir: args.workDir,
    progress: args.progress,
    signal: args.signal,
    // Under docker with agents in containers, the provider's launcher runs the agents that have an image.
    ...(args.infra.launcher ? { containers: args.infra.launcher } : {}),
    watched: planned.watched,
    ...(args.clock ? { clock: args.clock } : {}),
    proxy: (dependency, upstream) => {
      proxies[dependency] = `${planned.prefix}${dependency}`;
      return proxyDependency({ toxiproxy: args.toxiproxy, infra: args.infra, name: proxies[dependency], upstream, teardown, progress: args.progress });
    },
  });
  // Registered after the topics, so it runs before them (newest first): topics go once nobody consumes.
  teardown.add('fleet', () => fleet.stop());
  const protocolOf = (name: string) => planned.definition.dependencies[name]?.protocol ?? 'http';
  const urls = Object.fromEntries(
    Object.entries(fleet.dependencies).map(([name, a]) => [name, protocolOf(name) === 'http' ? `http://${a.host}:${a.port}` : `${a.host}:${a.port}`]),
  );
  return { fleet, proxies, stepVariables: fleetFileVariables(fleet.topology, urls, firstInstanceStates(planned.definition, args.workDir, planned.prefix, fleet.dependencies)) };
}

/** Where each stateful agent's first instance keeps its state (the supervisor's folder per instance), for `<AGENT>_STATE_FILE`. */
function firstInstanceStates(definition: FleetDefinition, workDir: string, prefix: string, deps: Record<string, { host: string; port: number }>): Record<string, { file?: string; dir?: string }> {
  const out: Record<string, { file?: string; dir?: string }> = {};
  for (const agent of Object.values(definition.agents)) {
    if (!agent.state) continue;
    const id = `${agent.name}-1`;
    try {
      const state = resolveAgentState(definition, agent.name, { id, index: 1, port: 0, stateDir: path.join(workDir, 'state', id) }, { prefix, bootstrap: '', deps, env: process.env });
      if (state) out[agent.name] = state;
    } catch {
      // A state path that names what only a running instance knows: steps use ctl exec instead.
    }
  }
  return out;
}
