import { docker } from './docker-cli.ts';
import { drillLabels, type DrillOwner } from './labels.ts';

export interface DrillNetwork {
  name: string;
  /** The host's address on this network: what a container dials to reach the harness. */
  gateway: string;
}

/**
 * A user-defined bridge per drill, made with the CLI because testcontainers' Network cannot carry
 * labels (and `gc` finds networks by label). Containers resolve each other by name on it.
 */
export async function createDrillNetwork(name: string, owner: DrillOwner): Promise<DrillNetwork> {
  const labels = Object.entries(drillLabels(owner)).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  await docker(['network', 'create', '--driver', 'bridge', ...labels, name], { what: `Creating network ${name}` });
  const gateway = (
    await docker(['network', 'inspect', '--format', '{{range .IPAM.Config}}{{.Gateway}} {{end}}', name], { what: `Inspecting network ${name}` })
  )
    .trim()
    .split(/\s+/)
    .find((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip));
  if (!gateway) throw new Error(`network ${name} has no IPv4 gateway`);
  return { name, gateway };
}
