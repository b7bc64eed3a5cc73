import type { Admin } from 'kafkajs';
import { containerOverheadMb } from '../container-run-args.ts';
import { groupProbe, httpProbe, tcpProbe } from '../health-probes.ts';
import type { HealthProbe } from '../instance.ts';
import type { AgentTemplate } from '../supervisor.ts';
import { drillNames, resolveAgentCommand, resolveAgentContainer, resolveAgentState, resolveValue, type DrillAddresses, type InstanceSlot } from './resolve.ts';
import type { AgentDefinition } from './agent-schema.ts';
import type { FleetDefinition } from './schema.ts';

export interface FleetRuntimeHooks {
  /** The drill's admin client, for `health: { group: true }`. */
  admin: () => Admin;
  /** How many instances of an agent should be running now (the supervisor knows). */
  instancesOf: (agent: string) => number;
  /** Agents with an `image:` run as containers (the docker provider with agents in containers). */
  runImages?: boolean;
}

/** An agent's template, plus where each of its instances serves its metrics (`metrics: { url }`). */
export type FleetAgentTemplate = AgentTemplate & { metricsUrl?: (instanceId: string) => string; adminUrl?: (instanceId: string) => string };

/**
 * The supervisor's view of a fleet file's agents: each instance's command with its `${...}`
 * filled (its own port, state folder and id), the health probe the file asks for, and its
 * `restart:` and `stopGrace:`. An agent without `health:` is up once its process has started, as
 * a container without a healthcheck. The metrics URL is filled the same way, per instance, from
 * the port its command was given.
 */
export function fleetAgentTemplates(
  fleet: FleetDefinition,
  at: DrillAddresses,
  hooks: FleetRuntimeHooks,
  /** Filled as instances are created: what each one's `${instance.*}` resolved to (a state check needs the same). */
  slots: Map<string, InstanceSlot> = new Map(),
): Record<string, FleetAgentTemplate> {
  const own = (id: string): Record<string, string> => {
    const slot = slots.get(id);
    const index = { 'instance.id': id, 'instance.index': String(instanceIndex(id)) };
    return slot ? { ...index, 'instance.port': String(slot.port), 'agent.stateDir': slot.stateDir } : index;
  };
  return Object.fromEntries(
    Object.values(fleet.agents).map((agent): [string, FleetAgentTemplate] => {
      const fill = (id: string, value: string, where: string) => resolveValue(fleet, value, { 'agent.name': agent.name, ...own(id) }, at, where);
      const metrics = agent.metrics;
      const template: FleetAgentTemplate = {
        stateful: agent.state !== undefined,
        env: () => ({}),
        ...(agent.heap !== undefined ? { heapMb: agent.heap } : {}),
        command: (id, port, stateDir, heapMb) => {
          const slot = { id, index: instanceIndex(id), port, stateDir, ...(heapMb !== undefined ? { heapMb } : {}) };
          slots.set(id, slot);
          const state = resolveAgentState(fleet, agent.name, slot, at);
          if (hooks.runImages && agent.image) {
            const { image, env } = resolveAgentContainer(fleet, agent.name, slot, at);
            const memory = containerMemory(agent.memory, heapMb);
            return { argv: [], cwd: fleet.dir, env, ...(state ? { state } : {}), image: { name: image, ...memory, mounts: [stateDir] } };
          }
          return { ...resolveAgentCommand(fleet, agent.name, slot, at), ...(state ? { state } : {}) };
        },
        probe: probeFor(fleet, agent, at, hooks, fill),
        restart: agent.restart,
        stopGraceMs: agent.stopGrace,
        ...(metrics ? { metricsUrl: (id: string) => fill(id, metrics.url, `agents.${agent.name}.metrics.url`) } : {}),
        ...(agent.admin ? { adminUrl: (id: string) => fill(id, agent.admin!.url, `agents.${agent.name}.admin.url`) } : {}),
      };
      return [agent.name, template];
    }),
  );
}

/**
 * The container's memory limit: the agent's `memory:`, else its heap plus what its runtime needs
 * beyond the heap, so that `restart --heap` raises the container's limit with the heap. Without
 * either the container has no limit.
 */
export function containerMemory(memoryMb: number | undefined, heapMb: number | undefined): { memoryMb?: number } {
  if (memoryMb !== undefined) return { memoryMb };
  return heapMb === undefined ? {} : { memoryMb: heapMb + containerOverheadMb };
}

/** `scorer-2` → 2: ids are `<agent>-<n>` (supervisor.ts). */
export function instanceIndex(id: string): number {
  return Number(id.slice(id.lastIndexOf('-') + 1));
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
