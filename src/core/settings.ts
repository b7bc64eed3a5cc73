import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentdrillError } from './errors.ts';

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
  /** For `--provider docker`. */
  docker: {
    /** AGENTDRILL_DOCKER_AGENTS: each agent in its own container (default), or as local processes. */
    agentsInContainers: boolean;
    /** AGENTDRILL_DOCKER_IMAGES: `local` never pulls, `registry` must pull, `auto` tries a pull first. */
    images: ImageSource;
    /**
     * AGENTDRILL_RUN_ID: a label on every container and network of every drill of this run (a CI
     * job's id), so runs sharing one engine can find and remove exactly their own leftovers.
     */
    runId?: string;
  };
}

export type ImageSource = 'auto' | 'local' | 'registry';

export const defaultKafkaVersion = '4.1.1';
export const defaultToxiproxyVersion = 'v2.12.0';

/**
 * The folder with agentdrill's package.json: the first one found going up from this module. Going
 * up, not a fixed '../..', because the CLI also runs from a bundle in node_modules/.cache (see
 * bin/cli-bundle.mjs), where this module's own folder says nothing about the sources.
 */
export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'agentdrill') return dir;
    } catch {
      // no package.json here, or not one we can read: keep going up
    }
    if (path.dirname(dir) === dir) throw new Error(`agentdrill's package.json was not found above ${from}`);
  }
}

/** A file shipped with agentdrill's sources (templates, Go and C sources), by its path from the package root. */
export function packageFile(...parts: string[]): string {
  return path.join(packageRoot, ...parts);
}

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
    docker: { agentsInContainers: agentsInContainers(env), images: imageSourceFromEnv(env), ...runIdFromEnv(env) },
  };
}

/** AGENTDRILL_DOCKER_AGENTS: `container` (default) runs each agent in its own container, `process` as local processes. */
export function agentsInContainers(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.AGENTDRILL_DOCKER_AGENTS || 'container';
  if (value === 'container' || value === 'process') return value === 'container';
  throw new AgentdrillError('USAGE', `AGENTDRILL_DOCKER_AGENTS=${value} is not one of container, process`);
}

/** AGENTDRILL_DOCKER_IMAGES: `local` never pulls, `registry` must pull, unset tries a pull first. */
export function imageSourceFromEnv(env: NodeJS.ProcessEnv = process.env): ImageSource {
  const value = env.AGENTDRILL_DOCKER_IMAGES || 'auto';
  if (value === 'auto' || value === 'local' || value === 'registry') return value;
  throw new AgentdrillError('USAGE', `AGENTDRILL_DOCKER_IMAGES=${value} is not one of local, registry`);
}

/** AGENTDRILL_RUN_ID: a label value, so letters, digits, `.`, `_` and `-`. */
function runIdFromEnv(env: NodeJS.ProcessEnv): { runId?: string } {
  const value = env.AGENTDRILL_RUN_ID;
  if (!value) return {};
  if (/^[A-Za-z0-9_.-]{1,128}$/.test(value)) return { runId: value };
  throw new AgentdrillError('USAGE', `AGENTDRILL_RUN_ID=${JSON.stringify(value.slice(0, 60))} is not a label value`, { hint: 'use up to 128 letters, digits, ".", "_" and "-", e.g. the CI job id' });
}
