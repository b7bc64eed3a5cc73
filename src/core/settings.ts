import os from 'node:os';
import path from 'node:path';

/**
 * Machine-level settings, read once from the environment and passed down explicitly, so tests
 * inject their own instead of branching on "am I under test".
 */
export interface Settings {
  /** Per-user cache for Kafka jars, the Toxiproxy binary and the Maven repository. */
  cacheDir: string;
  kafkaVersion: string;
  toxiproxyVersion: string;
  /** An existing Kafka install (its libs/ folder holds the jars): skips Maven. */
  kafkaHome: string | undefined;
  /** An existing toxiproxy-server binary: skips `go install`. */
  toxiproxyBin: string | undefined;
  /** For `--provider external`: a standing Kafka (e.g. from docker-compose.yml) and Toxiproxy. */
  external: { bootstrapServers: string[]; toxiproxyUrl: string };
  /** Where the harness's own package lives (for bin/agentdrill.mjs and the agents' sources). */
  packageRoot: string;
}

export const defaultKafkaVersion = '4.1.1';
export const defaultToxiproxyVersion = 'v2.12.0';

export const packageRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  const cacheBase = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return {
    cacheDir: env.AGENTDRILL_CACHE_DIR || path.join(cacheBase, 'agentdrill'),
    kafkaVersion: env.AGENTDRILL_KAFKA_VERSION || defaultKafkaVersion,
    toxiproxyVersion: env.AGENTDRILL_TOXIPROXY_VERSION || defaultToxiproxyVersion,
    kafkaHome: env.AGENTDRILL_KAFKA_HOME || undefined,
    toxiproxyBin: env.AGENTDRILL_TOXIPROXY_BIN || undefined,
    external: {
      bootstrapServers: (env.AGENTDRILL_BOOTSTRAP_SERVERS || '127.0.0.1:9092').split(',').map((s) => s.trim()).filter(Boolean),
      toxiproxyUrl: env.AGENTDRILL_TOXIPROXY_URL || 'http://127.0.0.1:8474',
    },
    packageRoot,
  };
}
