import type { Admin } from 'kafkajs';
import { groupProbe, httpProbe, tcpProbe } from '../health-probes.ts';
import type { HealthProbe } from '../instance.ts';
import type { AgentTemplate } from '../supervisor.ts';
import { drillNames, resolveAgentCommand, resolveValue, type DrillAddresses } from './resolve.ts';
import type { AgentDefinition } from './agent-schema.ts';
import type { FleetDefinition } from './schema.ts';

export interface FleetRuntimeHooks {
  /** The drill's admin client, for `health: { group: true }`. */
  admin: () => Admin;
  /** How many instances of an agent should be running now (the supervisor knows). */
  instancesOf: (agent: string) => number;
}

/**
 * The supervisor's view of a fleet file's agents: each instance's command with its `${...}`
 * filled (its own port, state folder and id), the health probe the file asks for, and its
 * `restart:` and `stopGrace:`. An agent without `health:` is up once its process has started, as
 * a container without a healthcheck.
 */
export function fleetAgentTemplates(fleet: FleetDefinition, at: DrillAddresses, hooks: FleetRuntimeHooks): Record<string, AgentTemplate> {
  const slots = new Map<string, { port: number; stateDir: string }>();
  const own = (id: string): Record<string, string> => {
    const slot = slots.get(id);
    return slot ? { 'instance.id': id, 'instance.port': String(slot.port), 'agent.stateDir': slot.stateDir } : { 'instance.id': id };
  };
  return Object.fromEntries(
    Object.values(fleet.agents).map((agent): [string, AgentTemplate] => [
      agent.name,
      {
        stateful: agent.state !== undefined,
        env: () => ({}),
        command: (id, port, stateDir) => {
          slots.set(id, { port, stateDir });
          return resolveAgentCommand(fleet, agent.name, { id, index: Number(id.slice(id.lastIndexOf('-') + 1)), port, stateDir }, at);
        },
        probe: probeFor(fleet, agent, at, hooks, (id, value, where) => resolveValue(fleet, value, { 'agent.name': agent.name, ...own(id) }, at, where)),
        restart: agent.restart,
        stopGraceMs: agent.stopGrace,
      },
    ]),
  );
}

function probeFor(
  fleet: FleetDefinition,
  agent: AgentDefinition,
  at: DrillAddresses,
  hooks: FleetRuntimeHooks,
  fill: (id: string, value: string, where: string) => string,
): HealthProbe {
  const health = agent.health;
  if (!health) return () => Promise.resolve(true);
  if ('http' in health) return httpProbe((id) => fill(id, health.http, `agents.${agent.name}.health.http`));
  if ('tcp' in health) return tcpProbe((id) => fill(id, health.tcp, `agents.${agent.name}.health.tcp`));
  const group = drillNames(fleet, at.prefix).groups[agent.group!]!;
  return groupProbe(hooks.admin, group, () => hooks.instancesOf(agent.name));
}
