import { drillNames } from '../definition/resolve.ts';
import type { FleetDefinition } from '../definition/schema.ts';
import type { FleetTopology } from '../types.ts';

/** A fleet file's names for one drill: its topics and groups under the drill's prefix. */
export function teamTopology(fleet: FleetDefinition, prefix: string): FleetTopology {
  const { topics, groups } = drillNames(fleet, prefix);
  const groupAgents: Record<string, string> = {};
  const groupTopics: Record<string, string> = {};
  for (const agent of Object.values(fleet.agents)) {
    if (!agent.group || !agent.consumes) continue;
    groupAgents[agent.group] = agent.name;
    groupTopics[groups[agent.group]!] = topics[agent.consumes.topic]!;
  }
  return { prefix, topics, groups, groupAgents, groupTopics };
}
