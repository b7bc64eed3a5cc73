import type { Toxiproxy } from 'toxiproxy-node-client';
import type { Teardown } from '../core/teardown.ts';
import type { Address } from '../fleet/team/team-fleet.ts';
import type { Progress, StartedInfra } from '../infra/provider.ts';


/**
 * A Toxiproxy proxy of the drill's own in front of one dependency, removed at teardown. Faults
 * put their toxics on it; the agents are given its address instead of the dependency's.
 */
export async function proxyDependency(args: {
  toxiproxy: Toxiproxy;
  infra: StartedInfra;
  name: string;
  upstream: Address;
  teardown: Teardown;
  progress: Progress;
}): Promise<Address> {
  const tp = args.infra.toxiproxy;
  const address = `${args.upstream.host.includes(':') ? `[${args.upstream.host}]` : args.upstream.host}:${args.upstream.port}`;
  const proxy = await args.toxiproxy.createProxy({
    name: args.name,
    listen: tp.nextListen?.() ?? `${tp.listenHost}:0`,
    // A containerized Toxiproxy cannot dial the harness's loopback: the provider says what it can dial.
    upstream: (await tp.upstreamFor?.(address)) ?? address,
  });
  args.teardown.add(`proxy ${args.name}`, () => proxy.remove());
  args.progress(`toxiproxy: ${args.name} ${proxy.listen} → ${proxy.upstream}`);
  // Toxiproxy answers with the port it actually bound when asked for :0; the fleet dials it on
  // listenHost (a container binds 0.0.0.0, reached through 127.0.0.1).
  return { host: tp.listenHost, port: Number(proxy.listen.slice(proxy.listen.lastIndexOf(':') + 1)) };
}
