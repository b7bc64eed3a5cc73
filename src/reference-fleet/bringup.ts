import type { Toxiproxy } from 'toxiproxy-node-client';
import type { Settings } from '../core/settings.ts';
import type { Teardown } from '../core/teardown.ts';
import { createFleet, type FleetSpec } from './index.ts';
import type { Progress, StartedInfra } from '../infra/provider.ts';
import { proxyDependency } from '../drill/dependency-proxy.ts';
import type { FleetUp } from '../drill/fleet-bringup.ts';
import { deleteDrillTopics } from '../drill/drill-topics.ts';
import { referenceVariables } from './step-variables.ts';

/**
 * API first, then a Toxiproxy proxy in front of it, then the agents pointed at the proxy: the
 * inventory agent never talks to the API directly, so latency can be injected on its path.
 */
export async function bringUpReferenceFleet(args: {
  spec: FleetSpec;
  infra: StartedInfra;
  toxiproxy: Toxiproxy;
  settings: Settings;
  workDir: string;
  progress: Progress;
  teardown: Teardown;
}): Promise<FleetUp> {
  const { spec, toxiproxy, teardown } = args;
  const withApi = await createFleet({
    kafka: args.infra.kafka,
    spec,
    workDir: args.workDir,
    progress: args.progress,
    // A provider that runs agents its own way (containers) says how; else local processes.
    ...(args.infra.launcher ? { launcher: args.infra.launcher } : {}),
  }).startApi();
  teardown.add('inventory API', () => withApi.stop());
  const proxyName = `${spec.prefix}inventory-api`;
  const proxied = await proxyDependency({ toxiproxy, infra: args.infra, name: proxyName, upstream: withApi.api, teardown, progress: args.progress });
  const proxiedApiUrl = `http://${proxied.host}:${proxied.port}`;
  // Registered before the fleet's own stop, so it runs after it: topics go once nobody consumes.
  teardown.add('drill topics', () => deleteDrillTopics(args.infra.kafka.bootstrapServers, withApi.topology));
  const fleet = await withApi.start({ inventoryApiUrl: proxiedApiUrl });
  teardown.add('fleet', () => fleet.stop());
  return { fleet, proxies: { 'inventory-api': proxyName }, stepVariables: referenceVariables(fleet.topology, proxiedApiUrl, args.workDir) };
}
