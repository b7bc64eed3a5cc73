import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { AgentdrillError } from '../../core/errors.ts';
import { requireTool } from '../local/host-tools.ts';
import { provisionLocal } from '../local/index.ts';
import { writeKafkaTools } from '../local/tools.ts';
import type { InfraProvider, InfraStartOptions, StartedInfra } from '../provider.ts';

/**
 * Kafka and Toxiproxy someone already runs (a standing environment, `docker compose up`). The
 * drill starts nothing here and stops nothing: its own topics, groups and proxies carry the
 * drill's prefix, so drills sharing the environment do not collide. The Kafka CLI tools for
 * runbook steps still come from the local cache (same jars, pointed at the external broker).
 */
export async function startExternal(options: InfraStartOptions): Promise<StartedInfra> {
  const { bootstrapServers, toxiproxyUrl } = options.settings.external;
  const hint = 'start it (e.g. docker compose up -d) or point AGENTDRILL_BOOTSTRAP_SERVERS / AGENTDRILL_TOXIPROXY_URL at it';
  options.progress(`Using external Kafka at ${bootstrapServers.join(',')} and Toxiproxy at ${toxiproxyUrl}`);
  const toxiproxyVersion = await fetch(new URL('/version', toxiproxyUrl))
    .then((r) => r.text())
    .catch((e: unknown) => {
      throw new AgentdrillError('INFRA_START_FAILED', `no Toxiproxy answers at ${toxiproxyUrl}`, { hint, cause: e });
    });
  const kafkaVersion = await brokerReachable(bootstrapServers).catch((e: unknown) => {
    throw new AgentdrillError('INFRA_START_FAILED', `no Kafka broker answers at ${bootstrapServers.join(',')}`, { hint, cause: e });
  });
  const provisioned = await provisionLocal(options.settings, options.progress);
  const toolsBinDir = await writeKafkaTools({
    binDir: path.join(options.workDir, 'bin'),
    java: requireTool('java', 'run the Kafka CLI tools for runbook steps'),
    libsDir: provisioned.kafkaLibsDir,
  });
  return {
    kind: 'external',
    kafka: { bootstrapServers, version: kafkaVersion, toolsBinDir },
    toxiproxy: { apiUrl: toxiproxyUrl, version: versionText(toxiproxyVersion), listenHost: new URL(toxiproxyUrl).hostname },
    stop: () => Promise.resolve(),
  };
}

async function brokerReachable(bootstrapServers: string[]): Promise<string> {
  const admin = new Kafka({
    clientId: 'agentdrill-external-check',
    brokers: bootstrapServers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 2 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return `external (cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s))`;
  } finally {
    await admin.disconnect();
  }
}

function versionText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { version?: string };
    return parsed.version ?? body.trim();
  } catch {
    return body.trim();
  }
}

export const externalProvider: InfraProvider = { kind: 'external', start: startExternal };
