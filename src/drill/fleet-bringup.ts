import type { Toxiproxy } from 'toxiproxy-node-client';
import type { Settings } from '../core/settings.ts';
import type { Teardown } from '../core/teardown.ts';
import { createFleet, type ReferenceFleet } from '../fleet/index.ts';
import type { Progress, StartedInfra } from '../infra/provider.ts';
import { deleteDrillTopics } from './drill-topics.ts';
import type { DrillPlan } from './plan.ts';

export interface FleetUp {
  fleet: ReferenceFleet;
  /** The URL agents and runbook steps use for the inventory API: through Toxiproxy. */
  proxiedApiUrl: string;
  /** Fault target name → Toxiproxy proxy name. */
  proxies: Record<string, string>;
}

/**
 * API first, then a Toxiproxy proxy in front of it, then the agents pointed at the proxy: the
 * inventory agent never talks to the API directly, so latency can be injected on its path.
 */
export async function bringUpFleet(args: {
  plan: DrillPlan;
  infra: StartedInfra;
  toxiproxy: Toxiproxy;
  settings: Settings;
  workDir: string;
  progress: Progress;
  teardown: Teardown;
}): Promise<FleetUp> {
  const { plan, toxiproxy, teardown } = args;
  const withApi = await createFleet({
    kafka: args.infra.kafka,
    spec: plan.fleet,
    workDir: args.workDir,
    progress: args.progress,
    // A provider that runs agents its own way (containers) says how; else local processes.
    ...(args.infra.launcher ? { launcher: args.infra.launcher } : {}),
  }).startApi();
  teardown.add('inventory API', () => withApi.stop());
  const proxyName = `${plan.fleet.prefix}inventory-api`;
  const tp = args.infra.toxiproxy;
  const apiAddress = `${withApi.api.host}:${withApi.api.port}`;
  const proxy = await toxiproxy.createProxy({
    name: proxyName,
    listen: tp.nextListen?.() ?? `${tp.listenHost}:0`,
    // A containerized Toxiproxy cannot dial the harness's loopback: the provider says what it can dial.
    upstream: (await tp.upstreamFor?.(apiAddress)) ?? apiAddress,
  });
  teardown.add('inventory API proxy', () => proxy.remove());
  // Toxiproxy answers with the port it actually bound when asked for :0; the fleet dials it on
  // listenHost (a container binds 0.0.0.0, reached through 127.0.0.1).
  const proxiedApiUrl = `http://${tp.listenHost}:${proxy.listen.slice(proxy.listen.lastIndexOf(':') + 1)}`;
  args.progress(`toxiproxy: ${proxyName} ${proxy.listen} → ${proxy.upstream}`);
  // Registered before the fleet's own stop, so it runs after it: topics go once nobody consumes.
  teardown.add('drill topics', () => deleteDrillTopics(args.infra.kafka.bootstrapServers, withApi.topology));
  const fleet = await withApi.start({ inventoryApiUrl: proxiedApiUrl });
  teardown.add('fleet', () => fleet.stop());
  return { fleet, proxiedApiUrl, proxies: { 'inventory-api': proxyName } };
}
