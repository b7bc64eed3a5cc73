/** One observation of the whole fleet; the sampler journals one of these every interval. */
export interface GroupSample {
  /** Sum over partitions of high watermark minus committed offset. */
  lag: number;
  /** Committed-offset advance per second, smoothed over a short window. */
  throughput: number;
  committed: number;
  /** Consumer group state from the broker (Stable, PreparingRebalance, ...), when sampled. */
  state?: string;
  members?: number;
}

export interface AgentSample {
  agent: string;
  rssBytes: number;
  up: boolean;
}

export interface Sample {
  /** Keyed by logical group name (inventory, decision, ...). */
  groups: Record<string, GroupSample>;
  /** Keyed by instance id. */
  agents: Record<string, AgentSample>;
  /** Fleet-wide counters (invalid inputs seen by fulfillment, ...). */
  counters: Record<string, number>;
  /**
   * Counters (`metric.<agent>.<series>`) whose value holds an instance's last answer rather than
   * this sample's: its endpoint was slow, down or malformed. Absent when every endpoint answered.
   */
  stale?: string[];
}
