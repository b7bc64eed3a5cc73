import { readFile } from 'node:fs/promises';
import { Kafka, logLevel } from 'kafkajs';
import { AgentdrillError } from '../core/errors.ts';
import type { Progress, StartedKafka } from '../infra/provider.ts';
import { getJson, postJson } from '../fleet/admin-client.ts';
import { measureIntegrity } from './integrity.ts';
import type { Launcher } from '../fleet/launcher.ts';
import { processLauncher } from '../fleet/process-launcher.ts';
import type { RestartPolicy } from '../fleet/restart-policy.ts';
import { Supervisor } from '../fleet/supervisor.ts';
import { corruptDecisionState } from './decision-state.ts';
import { assessRebuiltState } from './state-check.ts';
import { agentTemplates } from './templates.ts';
import { createTopology } from './topology.ts';
import { type RestartOptions, type StartedFleet } from '../fleet/types.ts';
import { consumerAgents, type AgentMetrics, type ConsumerAgent, type FleetSpec, type ReferenceTopology } from './types.ts';

export interface FleetOptions {
  kafka: Pick<StartedKafka, 'bootstrapServers'>;
  spec: FleetSpec;
  /** Per-drill scratch folder: instance logs (`logs/`) and state files (`state/`). */
  workDir: string;
  /** Defaults to local Node processes. */
  launcher?: Launcher;
  healthTimeoutMs?: number;
  stopGraceMs?: number;
  restartPolicy?: RestartPolicy;
  progress?: Progress;
}

/** Where the inventory API listens (the upstream a Toxiproxy proxy forwards to). */
export interface InventoryApi {
  url: string;
  host: string;
  port: number;
}

/** Created, nothing running yet. */
export interface Fleet {
  readonly topology: ReferenceTopology;
  startApi(): Promise<FleetWithApi>;
}

/** Only the inventory API runs; the harness can now put a proxy in front of it. */
export interface FleetWithApi {
  readonly topology: ReferenceTopology;
  readonly api: InventoryApi;
  /** Creates the topics and starts every agent; the inventory agent calls `inventoryApiUrl` (default: the API directly). On failure everything is stopped. */
  start(options?: { inventoryApiUrl?: string }): Promise<ReferenceFleet>;
  stop(): Promise<void>;
}

export interface ReferenceFleet extends StartedFleet {
  readonly kind: 'reference';
  readonly topology: ReferenceTopology;
  readonly api: InventoryApi;
  /** The URL the inventory agent calls (the proxy, when one was given). */
  readonly inventoryApiUrl: string;
  readonly workDir: string;
  restartInstance(id: string, options?: RestartOptions): Promise<void>;
  /** JSON-merges into an instance's runtime config (POST /config): `rate`, `cacheTtlMs`, `profileBytes`, `concurrency`. */
  configure(id: string, patch: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** What an instance's admin endpoint answers on GET /metrics (undefined while it is down). */
  metrics(id: string): Promise<AgentMetrics | undefined>;
}

export function createFleet(options: FleetOptions): Fleet {
  const topology = createTopology(options.spec.prefix, options.spec.partitions);
  let inventoryApiUrl = '';
  const supervisor = new Supervisor({
    launcher: options.launcher ?? processLauncher(),
    workDir: options.workDir,
    templates: agentTemplates({ spec: options.spec, topology, brokers: options.kafka.bootstrapServers, inventoryApiUrl: () => inventoryApiUrl }),
    healthTimeoutMs: options.healthTimeoutMs,
    stopGraceMs: options.stopGraceMs,
    policy: options.restartPolicy,
  });
  const progress = options.progress ?? (() => undefined);
  return {
    topology,
    async startApi() {
      const [apiInstance] = await supervisor.add('inventory-api', 1).catch(stopAndThrow(supervisor));
      const url = new URL(apiInstance!.adminUrl);
      const api = { url: apiInstance!.adminUrl, host: url.hostname, port: Number(url.port) };
      progress(`fleet: inventory API on ${api.url}`);
      return {
        topology,
        api,
        stop: () => supervisor.stopAll(),
        async start(startOptions = {}) {
          inventoryApiUrl = startOptions.inventoryApiUrl ?? api.url;
          try {
            await createTopics(options.kafka.bootstrapServers, topology);
            const { agents } = options.spec;
            await Promise.all([
              ...consumerAgents.map((agent) => supervisor.add(agent, agents[agent].replicas)),
              supervisor.add('load', 1),
            ]);
          } catch (e) {
            return stopAndThrow(supervisor)(e);
          }
          progress(`fleet: ${supervisor.instances().length} instances running`);
          return startedFleet(supervisor, { topology, api, inventoryApiUrl, workDir: options.workDir });
        },
      };
    },
  };
}

/** Convenience for callers without a proxy step in between: API, then (optionally proxied) fleet. */
export async function startFleet(options: FleetOptions & { proxyApi?: (api: InventoryApi) => Promise<string> }): Promise<ReferenceFleet> {
  const withApi = await createFleet(options).startApi();
  let inventoryApiUrl: string;
  try {
    inventoryApiUrl = options.proxyApi ? await options.proxyApi(withApi.api) : withApi.api.url;
  } catch (e) {
    await withApi.stop();
    throw e;
  }
  return withApi.start({ inventoryApiUrl });
}

function startedFleet(
  supervisor: Supervisor,
  fixed: { topology: ReferenceTopology; api: InventoryApi; inventoryApiUrl: string; workDir: string },
): ReferenceFleet {
  const metrics = async (id: string) => {
    const instance = supervisor.get(id);
    if (!instance.running) return undefined;
    return getJson<AgentMetrics>(`${instance.adminUrl}/metrics`).catch(() => undefined);
  };
  const configure = (id: string, patch: Record<string, unknown>) => postJson<Record<string, unknown>>(`${supervisor.get(id).adminUrl}/config`, patch);
  const fleet: ReferenceFleet = {
    kind: 'reference',
    ...fixed,
    instances: () => supervisor.instances(),
    scale: (agent: string, replicas: number | string) => {
      if (!(consumerAgents as readonly string[]).includes(agent)) {
        return Promise.reject(new AgentdrillError('USAGE', `cannot scale "${agent}"`, { hint: `scalable agents: ${consumerAgents.join(', ')}` }));
      }
      return supervisor.scale(agent, replicas);
    },
    stopInstance: (id) => supervisor.get(id).stop(),
    killInstance: (id, signal = 'SIGKILL') => supervisor.get(id).kill(signal),
    execInstance: (id, argv, timeoutMs) => supervisor.get(id).exec(argv, timeoutMs),
    restartInstance: (id, options) => supervisor.get(id).restart(options),
    metrics,
    // Only fulfillment validates its inputs; its count is what state-corruption rules watch.
    async counters() {
      const running = supervisor.instances().filter((i) => i.agent === 'fulfillment' && i.state === 'running');
      const all = await Promise.all(running.map((i) => metrics(i.id)));
      return { 'invalid.fulfillment': all.reduce((sum, m) => sum + (m?.invalid ?? 0), 0) };
    },
    configure,
    faultHooks: {
      // The decision agent's state has a format this fleet knows: every SKU's reservation goes wrong.
      plausibleState: (agent, file) => (agent === 'decision' ? corruptDecisionState(file) : undefined),
      // The cache leak is a real allocation in the agents' own code, switched on through their admin endpoint.
      leak: async (id, leak) => {
        await configure(id, leak ? { leakMbPerSec: leak.mbPerSec, cacheTtlMs: leak.cacheTtlMs } : { leakMbPerSec: 0 });
      },
      assessState: (agent, admin) => assessRebuiltState(fleet, admin, agent),
    },
    async stopLoad() {
      const load = supervisor.of('load')[0];
      if (!load) return 0;
      let produced: number | undefined;
      if (load.running) produced = (await postJson<{ produced: number }>(`${load.adminUrl}/stop-load`, {}, 30_000)).produced;
      // Stopped for good: a restart per policy would start producing again.
      await load.stop();
      return produced ?? (await producedFromState(load.info().stateFile));
    },
    integrity: (produced) => measureIntegrity(supervisor.everyInstanceOf('sink'), produced),
    onEvent: (listener) => supervisor.onEvent(listener),
    stop: () => supervisor.stopAll(),
  };
  return fleet;
}



async function producedFromState(file: string | undefined): Promise<number> {
  if (!file) return 0;
  try {
    return Number((JSON.parse(await readFile(file, 'utf8')) as { produced?: unknown }).produced) || 0;
  } catch {
    return 0;
  }
}

async function createTopics(brokers: string[], topology: ReferenceTopology): Promise<void> {
  const admin = new Kafka({ clientId: `agentdrill-fleet-${topology.prefix}`, brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: Object.values(topology.topics).map((topic) => ({ topic, numPartitions: topology.partitions, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}

function stopAndThrow(supervisor: Supervisor): (e: unknown) => Promise<never> {
  return async (e) => {
    await supervisor.stopAll();
    throw e instanceof AgentdrillError ? e : new AgentdrillError('FLEET_FAILED', `the fleet did not start: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  };
}
