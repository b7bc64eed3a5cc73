import type { Settings } from '../core/settings.ts';

/** Progress lines for long work (provisioning, bring-up); the CLI prints them, tests collect them. */
export type Progress = (message: string) => void;

export interface InfraStartOptions {
  settings: Settings;
  progress: Progress;
  /** Scratch directory owned by this drill; removed at teardown. */
  workDir: string;
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
}

export interface StartedInfra {
  readonly kind: string;
  readonly kafka: StartedKafka;
  readonly toxiproxy: StartedToxiproxy;
  /** Stops everything this provider started. Idempotent. */
  stop(): Promise<void>;
}
