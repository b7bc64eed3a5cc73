import type { Launcher } from '../fleet/launcher.ts';
import type { Settings } from '../core/settings.ts';

/** Progress lines for long work (provisioning, bring-up); the CLI prints them, tests collect them. */
export type Progress = (message: string) => void;

export interface InfraStartOptions {
  settings: Settings;
  progress: Progress;
  /** Scratch directory owned by this drill; removed at teardown. */
  workDir: string;
  /** The drill's id, for labels on what a provider creates (containers); else derived from workDir. */
  drillId?: string;
}

/**
 * A place where Kafka and Toxiproxy run. `start` returns a StartedInfra; only a started one can
 * be used or stopped (the lifecycle is in the types, as testcontainers does).
 */
export interface InfraProvider {
  readonly kind: string;
  start(options: InfraStartOptions): Promise<StartedInfra>;
}

export interface StartedKafka {
  /** host:port list for kafkajs and the Kafka tools. */
  bootstrapServers: string[];
  /** host:port list for clients in containers on the provider's network (a second listener), when there is one. */
  containerBootstrapServers?: string[];
  version: string;
  /** Folder with executable wrappers of the real Kafka tools (kafka-consumer-groups, kafka-topics). */
  toolsBinDir: string | undefined;
}

export interface StartedToxiproxy {
  /** Toxiproxy's HTTP API, e.g. http://127.0.0.1:8474 */
  apiUrl: string;
  version: string;
  /** Host on which proxies listen (the fleet connects to proxies there). */
  listenHost: string;
  /**
   * The `listen` address for the next proxy, when not `${listenHost}:0`: Toxiproxy in a container
   * is reachable only on ports published in advance, so the provider hands them out.
   */
  nextListen?(): string;
  /**
   * The upstream Toxiproxy must dial to reach `address` (host:port on the harness's loopback), when
   * Toxiproxy cannot reach that loopback itself (in a container). Default: `address` as is.
   */
  upstreamFor?(address: string): Promise<string>;
}

/** What the platform itself reports of the drill's objects (Kubernetes Events): journaled as `platform.event`. */
export interface PlatformEvent {
  source: string;
  /** Normal or Warning. */
  type: string;
  reason: string;
  /** kind/name, e.g. pod/agent-inventory-1-3. */
  object: string;
  message: string;
  /** How many times the platform saw it (repeats are counted, not sent again). */
  count: number;
  component: string;
}

export interface StartedInfra {
  readonly kind: string;
  readonly kafka: StartedKafka;
  readonly toxiproxy: StartedToxiproxy;
  /** How this provider runs agents (containers), when not as local processes. */
  readonly launcher?: Launcher;
  /** What runbook steps get from the platform beyond Kafka's: e.g. kubectl on PATH and its KUBECONFIG. */
  readonly stepEnvironment?: { env: Record<string, string>; path: string[] };
  /** The platform's own events from now on (those before the first listener are kept for it). */
  onPlatformEvent?(listener: (e: PlatformEvent) => void): void;
  /** Stops everything this provider started. Idempotent. */
  stop(): Promise<void>;
}
