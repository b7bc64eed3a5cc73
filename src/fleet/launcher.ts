import type { BoundedRun } from './run-bounded.ts';

/**
 * How one agent instance is run. The supervisor owns policy (restarts, scaling, health); a
 * Launcher only runs, signals and reports the exit of one instance. The local provider runs
 * processes; a container provider implements the same contract with containers.
 */
export interface LaunchRequest {
  instanceId: string;
  agent: string;
  /** The agent's configuration (AGENT_ID, KAFKA_BROKERS, TOPIC_IN, STATE_FILE, ...). */
  env: Record<string, string>;
  /** A team's own program (fleet files), run as written and tethered. */
  command?: { argv: string[]; cwd: string };
  /** A team's own image (fleet files under the docker provider): run as it is, with `env`. */
  image?: TeamImage;
  /** Chosen once per instance and kept across restarts (Toxiproxy points at the API's port). */
  adminPort: number;
  /** V8 old-space limit; undefined means Node's default. */
  heapMb: number | undefined;
  /** stdout and stderr are appended here, never inherited by the harness's terminal. */
  logFile: string;
}

export interface TeamImage {
  name: string;
  /** The container's memory limit (the fleet file's `memory:`), when one is set. */
  memoryMb?: number;
  /** Host folders mounted at the same path (the instance's state), so faults and steps see the same files. */
  mounts: string[];
}

export interface ExitStatus {
  code: number | null;
  signal: string | null;
  /** Set when the instance could not be started at all. */
  error?: string;
  /** What a container engine reports: the kernel's OOM killer ended it (exit 137). */
  oomKilled?: boolean;
  /** How `oomKilled` was judged: which witnesses saw the kill and which did not (containers only). */
  oomEvidence?: OomEvidence;
}

/** The journal's record of an OOM judgement (fleet/oom/oom-signals.ts). */
export interface OomEvidence {
  saw: string[];
  sawNone: string[];
  disagree: boolean;
  /** The signal the harness itself delivered last (a fault's or ctl's docker kill), if any. */
  sentSignal?: string;
  /** The memory cgroup's last reading before the exit. */
  cgroup?: { oomKills: number; limitHits: number };
}

/** What runs an instance when it is a container: operators and runbooks look it up by these. */
export interface ContainerRef {
  id: string;
  name: string;
  /** The engine's memory limit (`docker inspect` HostConfig.Memory), when one is set. */
  memoryLimitMb?: number;
  /** Its memory is the cgroup's working set, every process in it (a team's image), not the main process's RSS. */
  workingSet?: true;
  /**
   * Who runs it: the docker engine (absent), or a CRI runtime of the local node (`cri`: a pod's
   * container, its processes in the machine's pid namespace), which the docker CLI cannot reach.
   */
  runtime?: 'cri';
}

export interface LaunchedInstance {
  readonly pid: number | undefined;
  /** Set by launchers that run containers; `ctl status` and the journal show it. */
  readonly container?: ContainerRef;
  /** Base URL of the instance's admin endpoint as reachable from the harness. */
  readonly adminUrl: string;
  /** Settles once, when the instance has ended for whatever reason. */
  readonly exited: Promise<ExitStatus>;
  /** Delivers a signal; false when the instance was already gone. */
  signal(signal: NodeJS.Signals): boolean;
}

export interface Launcher {
  readonly kind: string;
  /** A port for an instance's admin endpoint, free now. */
  allocatePort(): Promise<number>;
  launch(request: LaunchRequest): Promise<LaunchedInstance>;
  /**
   * Runs a short command where the instance runs (`ctl exec`, as `kubectl exec` would): beside a
   * process with its environment and folder, or inside its running container.
   */
  exec(request: LaunchRequest, running: LaunchedInstance | undefined, argv: string[], timeoutMs: number): Promise<BoundedRun>;
}
