import type { FleetTopology } from '../fleet/types.ts';

/**
 * The reference fleet's shape: orders → inventory → decision → fulfillment → sink, plus the
 * load generator and the inventory API. Names here are logical; `FleetTopology` maps them to
 * the real, per-drill-unique topic and group names.
 */
export const agentNames = ['load', 'inventory', 'decision', 'fulfillment', 'sink', 'inventory-api'] as const;
export type AgentName = (typeof agentNames)[number];
/** Agents that consume from Kafka in a group, and so can be scaled and show lag. */
export const consumerAgents = ['inventory', 'decision', 'fulfillment', 'sink'] as const;
export type ConsumerAgent = (typeof consumerAgents)[number];

/** The reference fleet's topology: its four topics and four groups by name. */
export interface ReferenceTopology extends FleetTopology {
  partitions: number;
  topics: { orders: string; inventoryChecked: string; decisions: string; fulfilled: string };
  groups: Record<ConsumerAgent, string>;
}

export interface AgentSettings {
  replicas: number;
  /** In-flight calls per inventory instance (bounded concurrency). */
  concurrency?: number;
  /** V8 old-space limit in MB (memory-growth drills make this real). */
  heapMb?: number;
}

export interface FleetSpec {
  prefix: string;
  partitions: number;
  agents: Record<'inventory' | 'decision' | 'fulfillment' | 'sink', AgentSettings>;
  load: { ratePerSec: number };
}

/** What every agent's admin endpoint answers on GET /metrics. */
export interface AgentMetrics {
  id: string;
  agent: string;
  rssBytes: number;
  heapUsedBytes: number;
  /** Events handled since start (consumers) or produced (load generator). */
  processed: number;
  /** Inputs that failed validation (fulfillment), or invalid events seen (sink). */
  invalid: number;
  [extra: string]: unknown;
}
