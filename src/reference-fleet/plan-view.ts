import type { PlannedFleet } from '../drill/plan.ts';
import type { PlanView } from '../drill/plan-view.ts';
import { createTopology } from './topology.ts';
import { consumerAgents, type FleetSpec } from './types.ts';

/** The reference fleet in the dry run's plan: its fixed topics, its agents as the scenario sizes them. */
export function referenceFleetView(planned: Extract<PlannedFleet, { kind: 'reference' }>): PlanView['fleet'] {
  const { spec } = planned;
  const topology = createTopology(spec.prefix, spec.partitions);
  // The logical topic each group reads, from the topology's own group → topic map.
  const topicOf = (real: string) => Object.keys(topology.topics).find((k) => topology.topics[k as keyof typeof topology.topics] === real)!;
  return {
    kind: 'reference',
    name: 'order-pipeline (reference)',
    topics: Object.entries(topology.topics).map(([name, drillTopic]) => ({ name, drillTopic, partitions: spec.partitions })),
    agents: consumerAgents.map((a) => ({ name: a, replicas: spec.agents[a].replicas, runs: `src/reference-fleet/agents/${a}.ts`, group: a, drillGroup: topology.groups[a], consumes: topicOf(topology.groupTopics[topology.groups[a]]!), produces: [] })),
    dependencies: [{ name: 'inventory-api', runs: 'src/reference-fleet/agents/inventory-api.ts', proxy: `${spec.prefix}inventory-api` }],
    load: { topic: topology.topics.orders, ratePerSec: planned.ratePerSec, stamp: 'seq in the event (the load agent)' },
    integrity: 'the sink agent counts distinct seqs',
  };
}

export function referenceReplicas(spec: FleetSpec, agent: string): number {
  return (consumerAgents as readonly string[]).includes(agent) ? spec.agents[agent as (typeof consumerAgents)[number]].replicas : 0;
}
