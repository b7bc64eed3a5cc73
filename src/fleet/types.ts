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

export interface FleetTopology {
  /** Unique per drill, so drills sharing a broker (external provider) never collide. */
  prefix: string;
  partitions: number;
  topics: { orders: string; inventoryChecked: string; decisions: string; fulfilled: string };
  /** Logical group name (the agent consuming) → real consumer group id. */
  groups: Record<ConsumerAgent, string>;
  /** Real consumer group → the topic it consumes. */
  groupTopics: Record<string, string>;
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

export type InstanceState = 'starting' | 'running' | 'exited' | 'stopped' | 'restarting';

export interface InstanceInfo {
  id: string;
  agent: string;
  pid: number | undefined;
  state: InstanceState;
  restarts: number;
  adminUrl: string;
  lastExit?: { code: number | null; signal: string | null; at: number; oomKilled?: boolean };
  /** Where the instance's stdout/stderr go (appended across restarts). */
  logFile?: string;
  /** The instance's state file (decision: per-SKU state; sink: seen seqs; load: last seq). */
  stateFile?: string;
  /** V8 old-space limit the instance runs with, when one is set. */
  heapMb?: number;
  /** The container running it now (agents in containers only): id, name, memory limit. */
  container?: { id: string; name: string; memoryLimitMb?: number };
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

export interface IntegrityReport {
  produced: number;
  /** Distinct sequence numbers that reached the sink. */
  processed: number;
  lost: number;
  duplicated: number;
  invalid: number;
}

/** Events the supervisor reports (instance exits, restarts, scaling); the drill journals them. */
export interface FleetEvent {
  type: 'instance.started' | 'instance.exited' | 'instance.restarted' | 'instance.stopped' | 'fleet.scaled';
  instanceId?: string;
  agent: string;
  detail: Record<string, unknown>;
}

export interface StartedFleet {
  readonly topology: FleetTopology;
  instances(): InstanceInfo[];
  /** `replicas` absolute, or relative when given as a signed string like "+2" / "-1". */
  scale(agent: ConsumerAgent, replicas: number | string): Promise<InstanceInfo[]>;
  stopInstance(id: string): Promise<void>;
  killInstance(id: string, signal?: NodeJS.Signals): Promise<void>;
  /** Stops (if running) and starts again; `heapMb` changes the heap limit from now on. */
  restartInstance(id: string, options?: { heapMb?: number }): Promise<void>;
  metrics(id: string): Promise<AgentMetrics | undefined>;
  /** Stops the load generator and returns how many events it produced. */
  stopLoad(): Promise<number>;
  /** Counts at the sink against what the load generator produced. Call after a drain. */
  integrity(produced: number): Promise<IntegrityReport>;
  onEvent(listener: (e: FleetEvent) => void): () => void;
  /** Stops every instance (SIGTERM, then SIGKILL after a grace period). Idempotent. */
  stop(): Promise<void>;
}
