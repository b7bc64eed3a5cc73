import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Toxiproxy } from 'toxiproxy-node-client';
import { Teardown } from '../../src/core/teardown.ts';
import { proxyDependency } from '../../src/drill/dependency-proxy.ts';
import { fleetFileEnvironmentNames } from '../../src/drill/step-environment.ts';
import { getJson } from '../../src/fleet/admin-client.ts';
import { loadFleetFile, validateFleetText } from '../../src/fleet/definition/load.ts';
import type { FleetDefinition } from '../../src/fleet/definition/schema.ts';
import { runFleetSetup } from '../../src/fleet/team/setup.ts';
import { startTeamFleet, type TeamFleet } from '../../src/fleet/team/team-fleet.ts';
import type { StartedInfra } from '../../src/infra/provider.ts';
import type { AgentMetrics } from '../../src/reference-fleet/types.ts';

/** The shipped order pipeline: the one way it runs, from its fleet file, as a drill brings it up. */
export const orderPipelineFile = path.resolve('examples/order-pipeline/fleet.yaml');

export interface StartedPipeline {
  fleet: TeamFleet;
  admin: Admin;
  /** Each dependency's proxy name on Toxiproxy (the drill's names: prefix + dependency). */
  proxies: Record<string, string>;
  /** Stops the fleet, removes the proxies, disconnects. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Brings the order pipeline up on started infra the way `bringUpTeamFleet` does: its topics with
 * the prefix, the inventory API stand-in behind its own Toxiproxy proxy, then the agents (as
 * containers when `containers` is given, built from the example's Dockerfile after `setup:`).
 * `adjust` changes the definition for this test only (a smaller heap, say).
 */
export async function startOrderPipeline(o: {
  infra: StartedInfra;
  prefix: string;
  workDir: string;
  ratePerSec: number;
  replicas?: Record<string, number>;
  env?: NodeJS.ProcessEnv;
  containers?: boolean;
  adjust?: (definition: FleetDefinition) => FleetDefinition;
}): Promise<StartedPipeline> {
  const env = o.env ?? process.env;
  const loaded = await loadFleetFile(orderPipelineFile, env);
  const definition = o.adjust ? o.adjust(loaded.fleet) : loaded.fleet;
  const teardown = new Teardown();
  const kafka = new Kafka({ clientId: `${o.prefix}test`, brokers: o.infra.kafka.bootstrapServers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  teardown.add('admin', () => admin.disconnect());
  const toxiproxy = new Toxiproxy(o.infra.toxiproxy.apiUrl);
  const proxies: Record<string, string> = {};
  try {
    if (o.containers) {
      const controller = new AbortController();
      await runFleetSetup({ fleet: definition, deferredCommands: loaded.deferredCommands, logDir: path.join(o.workDir, 'logs'), signal: controller.signal, progress: () => undefined });
    }
    const fleet = await startTeamFleet({
      definition,
      prefix: o.prefix,
      replicas: o.replicas ?? {},
      ratePerSec: o.ratePerSec,
      runTag: o.prefix,
      kafka,
      bootstrap: o.infra.kafka.bootstrapServers.join(','),
      admin,
      workDir: o.workDir,
      env,
      ...(o.containers && o.infra.launcher ? { containers: o.infra.launcher } : {}),
      proxy: (dependency, upstream) => {
        proxies[dependency] = `${o.prefix}${dependency}`;
        return proxyDependency({ toxiproxy, infra: o.infra, name: proxies[dependency], upstream, teardown, progress: () => undefined });
      },
    });
    teardown.add('fleet', () => fleet.stop());
    return { fleet, admin, proxies, stop: async () => void (await teardown.run()) };
  } catch (e) {
    await teardown.run();
    throw e;
  }
}

/** What an instance's admin endpoint answers on GET /metrics; undefined while it is down. */
export async function agentMetrics(fleet: TeamFleet, id: string): Promise<AgentMetrics | undefined> {
  const instance = fleet.instances().find((i) => i.id === id);
  if (instance?.state !== 'running') return undefined;
  return getJson<AgentMetrics>(`${instance.adminUrl}/metrics`).catch(() => undefined);
}

/** The shipped order pipeline's definition, read synchronously (unit tests). */
export function orderPipelineDefinition(): FleetDefinition {
  return validateFleetText(readFileSync(orderPipelineFile, 'utf8'), orderPipelineFile).fleet;
}

/** The names the order pipeline's steps get ($ORDERS_TOPIC, $INVENTORY_API_URL, ...): what its runbook may use. */
export function orderPipelineStepNames(): string[] {
  return fleetFileEnvironmentNames(orderPipelineDefinition());
}
