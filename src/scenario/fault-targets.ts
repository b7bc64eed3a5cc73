import type { FaultSpec } from '../faults/registry.ts';
import { isToxicFault } from '../faults/toxic-kinds.ts';
import { closest } from '../detect/suggest.ts';
import type { FleetDefinition } from '../fleet/definition/schema.ts';
import type { FaultConfig } from './fault-schemas.ts';

/** What a fleet offers a fault to hit, whoever wrote it. */
export interface FleetTargets {
  /** For messages: "fleet payments (examples/payments/fleet.yaml)". */
  label: string;
  dependencies: readonly string[];
  /** Agents that consume in a consumer group. */
  consumers: readonly string[];
  stateful: readonly string[];
  /** Agents whose memory the drill can grow. */
  growable: readonly string[];
  /** Agent → the replicas this drill runs (an instance fault picks among them). */
  replicas: Readonly<Record<string, number>>;
}

export function fleetFileTargets(fleet: FleetDefinition, shownAs: string, replicas: Readonly<Record<string, number>>): FleetTargets {
  const agents = Object.values(fleet.agents);
  return {
    replicas,
    label: `fleet ${fleet.name} (${shownAs})`,
    dependencies: Object.keys(fleet.dependencies),
    consumers: agents.filter((a) => a.group !== undefined).map((a) => a.name),
    stateful: agents.filter((a) => a.state !== undefined).map((a) => a.name),
    // Memory is grown by the agent's own leak switch (admin.leak), else inside its container (its memory cgroup): agents with an image.
    growable: agents.filter((a) => a.image !== undefined || a.admin?.leak !== undefined).map((a) => a.name),
  };
}

export interface TargetProblem {
  path: (string | number)[];
  message: string;
  hint: string;
}

/** Checks each fault's target names something the fleet has (a scenario always names it: no fleet has a default victim). */
export function resolveFaultTargets(fault: FaultConfig, targets: FleetTargets): { fault?: FaultSpec; problems: TargetProblem[] } {
  const check = (key: 'target' | 'agent', name: string | undefined, allowed: readonly string[], what: string): string | undefined => {
    if (name !== undefined && allowed.includes(name)) return name;
    const guess = name === undefined ? undefined : closest(name, allowed);
    problems.push({
      path: ['fault', key],
      message: name === undefined ? `fault.${key} is missing: ${fault.type} needs ${what}` : `fault.${key} "${name}" is not ${what} of ${targets.label}`,
      hint: allowed.length
        ? `use one of ${allowed.map((a) => `"${a}"`).join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`
        : `${targets.label} has no ${what.replace(/^an? /, '')}; declare one in the fleet file`,
    });
    return undefined;
  };
  const problems: TargetProblem[] = [];
  const instanceWithin = (agent: string, instance: number): boolean => {
    const replicas = targets.replicas[agent] ?? 0;
    if (instance <= replicas) return true;
    problems.push({ path: ['fault', 'instance'], message: `fault.instance ${instance} is past ${agent}'s ${replicas} replica(s)`, hint: `pick an instance from 1 to ${replicas}, or run more replicas of ${agent}` });
    return false;
  };
  if (isToxicFault(fault)) {
    const target = check('target', fault.target, targets.dependencies, 'a dependency');
    return target ? { fault: { ...fault, target }, problems } : { problems };
  }
  switch (fault.type) {
    case 'kill-consumer': {
      const agent = check('agent', fault.agent, targets.consumers, 'an agent that consumes in a group');
      // `random` draws among the instances running at injection, however many there are then.
      return agent && (fault.instance === 'random' || instanceWithin(agent, fault.instance)) ? { fault: { ...fault, agent }, problems } : { problems };
    }
    case 'corrupt-state': {
      const agent = check('agent', fault.agent, targets.stateful, 'an agent that declares its state');
      return agent && instanceWithin(agent, fault.instance) ? { fault: { ...fault, agent }, problems } : { problems };
    }
    case 'none':
      return { fault, problems };
    case 'memory-growth': {
      const target = check('target', fault.target, targets.growable, 'an agent whose memory the drill can grow (one with an image:, grown in its container, or admin: { leak })');
      return target ? { fault: { ...fault, target }, problems } : { problems };
    }
  }
}
