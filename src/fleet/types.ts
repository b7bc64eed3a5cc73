import type { ContainerRef } from './launcher.ts';
import type { BoundedRun } from './run-bounded.ts';

/**
 * Any fleet's names for one drill: logical names (as rules, runbooks and reports say them) to
 * the real, per-drill-unique topics and groups. A consumer group's logical name is what
 * `lag(group=NAME)` selects; for the reference fleet it is the consuming agent's name.
 */
export interface FleetTopology {
  /** Unique per drill, so drills sharing a broker (external provider) never collide. */
  prefix: string;
  /** Logical topic → real topic. */
  topics: Record<string, string>;
  /** Logical group → real consumer group id. */
  groups: Record<string, string>;
  /** Logical group → the agent whose instances are its members. */
  groupAgents: Record<string, string>;
  /** Real consumer group → the topic it consumes. */
  groupTopics: Record<string, string>;
}

/** Where an instance keeps the state a corrupt-state fault may damage: one file or one folder. */
export interface InstanceStatePath {
  file?: string;
  dir?: string;
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
  /** The instance's state file (a fleet file's `state: { file }`). */
  stateFile?: string;
  /** A fleet file's `state: { dir }` for this instance. */
  stateDir?: string;
  /** V8 old-space limit the instance runs with, when one is set. */
  heapMb?: number;
  /** The container running it now (agents in containers only): id, name, memory limit. */
  container?: ContainerRef;
}

/**
 * Loss at the end of the pipeline. `lost` is a count only where outputs were matched to inputs;
 * otherwise null with `why` (never 0: unknown loss must not read as none).
 */
export interface IntegrityReport {
  produced: number;
  /** Distinct produced events that reached the end (the sink, or the fleet file's end topic). */
  processed: number | null;
  lost: number | null;
  duplicated: number | null;
  invalid: number;
  /** How the figures were taken: stamps, counts only, or not at all. */
  mode?: 'stamped' | 'counts-only' | 'not-checked';
  /** Why loss could not be judged (counts-only, not-checked). */
  why?: string;
  /** Records seen on the end topic. */
  outputs?: number;
  readToEnd?: boolean;
  cautions?: string[];
}

/** One series read from a fleet's own /metrics endpoints (src/observe/metrics-scraper.ts). */
export interface SeriesReading {
  /** Summed over the agent's running instances, each as its endpoint last answered. */
  value: number;
  /** Growth since the drill began reading it, counter resets taken per instance: it never falls. */
  increase: number;
  /** Some instance did not answer in time this read: `value` holds its last answer. */
  stale: boolean;
}

/** Events the supervisor reports (instance exits, restarts, scaling); the drill journals them. */
export interface FleetEvent {
  type: 'instance.started' | 'instance.exited' | 'instance.restarted' | 'instance.stopped' | 'fleet.scaled';
  instanceId?: string;
  agent: string;
  detail: Record<string, unknown>;
}

/** A manual restart's changes, kept for later restarts: the heap limit (`${instance.heapMb}`), a container's memory limit. */
export interface RestartOptions {
  heapMb?: number;
  memoryMb?: number;
}

/** One instance's state held against the log by the team's own `state.verify` command. */
export interface StateCheck {
  instanceId: string;
  /** Exit 0: the state agrees with the log. */
  matches: boolean;
  exitCode: number | null;
  /** The command's last output (both streams), for the report: what differed. */
  output: string;
  /** What the check reported of itself on its last line (a JSON object), for the report's figures. */
  figures?: Record<string, number | string | boolean>;
  timedOut?: boolean;
}

/**
 * Powers a fleet's agents give the memory faults where the fleet file declares them (an admin
 * endpoint's leak switch, `admin: { leak }`): without them a fault falls back to what works on
 * any agent (memory pressure in its container), or says why it cannot.
 */
export interface FleetFaultHooks {
  /** Switches a leak in the instance's own code on (the rate and how long it retains) or off. */
  leak?(instanceId: string, leak: { mbPerSec: number; cacheTtlMs: number } | undefined): Promise<void>;
  /** Which agents have that leak (default: every agent the fleet lets a memory fault target). */
  leaks?(agent: string): boolean;
}

/** A running fleet as the drill drives it, whoever wrote its agents. */
export interface StartedFleet {
  readonly topology: FleetTopology;
  instances(): InstanceInfo[];
  /** `replicas` absolute, or relative when given as a signed string like "+2" / "-1". */
  scale(agent: string, replicas: number | string): Promise<InstanceInfo[]>;
  stopInstance(id: string): Promise<void>;
  killInstance(id: string, signal?: NodeJS.Signals): Promise<void>;
  /** Runs a short command where the instance runs (`ctl exec`): its environment and folder, or inside its container. */
  execInstance(id: string, argv: string[], timeoutMs: number): Promise<BoundedRun>;
  /** Stops (if running) and starts again; `heapMb` changes the heap limit from now on. */
  restartInstance(id: string, options?: RestartOptions): Promise<void>;
  /**
   * Cumulative counters for rules, keyed `<metric>.<target>` (e.g. `invalid.fulfillment`); the
   * sampler adds each one's per-second rate as `<metric>-rate.<target>`.
   */
  counters(): Promise<Record<string, number>>;
  /**
   * The series rules name from the agents' own Prometheus endpoints (a fleet file's `metrics:`),
   * keyed `<agent>.<series>`; absent where no rule names one. The sampler journals each as
   * `metric.<key>` and the per-second rate of its `increase` as `metric-rate.<key>`.
   */
  series?(): Promise<Record<string, SeriesReading>>;
  /** The running instances' own /metrics endpoints (a fleet file's `metrics: { url }`), for Prometheus to scrape. */
  metricsTargets?(): { agent: string; instance: string; url: string }[];
  /** Stops the load generator and returns how many events it produced. */
  stopLoad(): Promise<number>;
  /** Counts at the end of the pipeline against what the load produced. Call after a drain. */
  integrity(produced: number): Promise<IntegrityReport>;
  onEvent(listener: (e: FleetEvent) => void): () => void;
  /**
   * Holds each running instance of the agent against the log with the fleet's own state check;
   * undefined when the fleet declares none (the drill then says the state was not assessed).
   */
  verifyState?(agent: string): Promise<StateCheck[] | undefined>;
  /** `ctl config`: an instance's runtime settings, where the fleet's agents have an endpoint for them. */
  configure?(id: string, patch: Record<string, unknown>): Promise<unknown>;
  /** What the fleet's own agents can do for state and memory faults beyond what any fleet gets. */
  faultHooks?: FleetFaultHooks;
  /** Stops every instance (SIGTERM, then SIGKILL after a grace period). Idempotent. */
  stop(): Promise<void>;
}
