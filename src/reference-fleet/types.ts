/**
 * The order pipeline's programs (agents/), run from examples/order-pipeline/fleet.yaml: the
 * program a process or container runs is the one its AGENT_NAME names.
 */
export const agentNames = ['inventory', 'decision', 'fulfillment', 'sink', 'inventory-api'] as const;
export type AgentName = (typeof agentNames)[number];

/** What every agent's admin endpoint answers on GET /metrics. */
export interface AgentMetrics {
  id: string;
  agent: string;
  rssBytes: number;
  heapUsedBytes: number;
  /** Events handled since start. */
  processed: number;
  /** Inputs that failed validation (fulfillment), or invalid events seen (sink). */
  invalid: number;
  [extra: string]: unknown;
}
