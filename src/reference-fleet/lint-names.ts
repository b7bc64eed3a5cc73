import type { FleetNames } from '../runbook/lint/types.ts';
import { createTopology } from './topology.ts';
import { agentNames, consumerAgents } from './types.ts';

/** The reference fleet's names as the linter checks a runbook against them (its topics at any partition count). */
export function referenceFleetNames(partitions: number): Pick<FleetNames, 'agents' | 'groups' | 'scalable' | 'topics'> {
  return {
    agents: agentNames,
    groups: consumerAgents,
    scalable: consumerAgents,
    topics: Object.values(createTopology('', partitions).topics),
  };
}
