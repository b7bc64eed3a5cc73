import { fileURLToPath } from 'node:url';
import type { AgentTemplate } from '../fleet/supervisor.ts';
import type { AgentName, FleetSpec, ReferenceTopology } from './types.ts';

/** Each agent's environment (see agents/runtime.ts readEnv), from the spec and the topology. */
export function agentTemplates(args: {
  spec: FleetSpec;
  topology: ReferenceTopology;
  brokers: string[];
  /** Known only once the harness has put its proxy in front of the API. */
  inventoryApiUrl: () => string;
}): Record<AgentName, AgentTemplate> {
  const { spec, topology } = args;
  const { topics, groups } = topology;
  const base = (agent: AgentName, id: string): Record<string, string> => ({
    AGENT_ID: id,
    AGENT_NAME: agent,
    KAFKA_BROKERS: args.brokers.join(','),
  });
  const consumer = (agent: AgentName & keyof FleetSpec['agents'], topicIn: string, topicOut: string, stateful: boolean) => ({
    stateful,
    script: agentScript(agent),
    heapMb: spec.agents[agent].heapMb,
    env: (id: string, stateFile: string) => ({
      ...base(agent, id),
      TOPIC_IN: topicIn,
      TOPIC_OUT: topicOut,
      GROUP_ID: groups[agent],
      ...(stateful ? { STATE_FILE: stateFile } : {}),
      ...(agent === 'inventory'
        ? { INVENTORY_API_URL: args.inventoryApiUrl(), CONCURRENCY: String(spec.agents.inventory.concurrency ?? 8) }
        : {}),
    }),
  });
  return {
    'inventory-api': { stateful: false, script: agentScript('inventory-api'), env: (id) => base('inventory-api', id) },
    load: {
      stateful: true,
      script: agentScript('load'),
      env: (id, stateFile) => ({ ...base('load', id), TOPIC_OUT: topics.orders, RATE: String(spec.load.ratePerSec), STATE_FILE: stateFile }),
    },
    inventory: consumer('inventory', topics.orders, topics.inventoryChecked, false),
    decision: consumer('decision', topics.inventoryChecked, topics.decisions, true),
    fulfillment: consumer('fulfillment', topics.decisions, topics.fulfilled, false),
    sink: consumer('sink', topics.fulfilled, '', true),
  };
}

/** Each reference agent is one program in agents/, named after it. */
export function agentScript(agent: AgentName): string {
  return fileURLToPath(new URL(`./agents/${agent}.ts`, import.meta.url));
}
