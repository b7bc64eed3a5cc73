import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { AgentdrillError } from '../../core/errors.ts';

export interface NodeNetwork {
  /** The bridge the pods' veths join; at most 15 characters (IFNAMSIZ). */
  bridge: string;
  /** The bridge's address: the node's IP and the pods' gateway. */
  nodeIp: string;
  podSubnet: string;
  podRangeStart: string;
  podRangeEnd: string;
  /** Service addresses the API server allocates from; nothing routes them (no kube-proxy yet). */
  serviceCidr: string;
  /** The first service address: the `kubernetes` Service, named in the API server's certificate. */
  serviceIp: string;
}

/** A /24 in 10.200–10.249 that no address or route on the machine touches yet. */
export function chooseNodeNetwork(ip: string, clusterId: string): NodeNetwork {
  const used = execFileSync(ip, ['-4', '-o', 'route', 'show', 'table', 'all'], { encoding: 'utf8', timeout: 10_000 });
  const addresses = execFileSync(ip, ['-4', '-o', 'addr', 'show'], { encoding: 'utf8', timeout: 10_000 });
  for (let attempt = 0; attempt < 50; attempt++) {
    const prefix = `10.${randomInt(200, 250)}.${randomInt(0, 256)}`;
    if (used.includes(`${prefix}.`) || addresses.includes(`${prefix}.`) || overlapsWideRoute(used, prefix)) continue;
    return {
      bridge: `adk-${clusterId.slice(0, 8)}`,
      nodeIp: `${prefix}.1`,
      podSubnet: `${prefix}.0/24`,
      podRangeStart: `${prefix}.10`,
      podRangeEnd: `${prefix}.200`,
      serviceCidr: `${prefix}.224/28`,
      serviceIp: `${prefix}.225`,
    };
  }
  throw new AgentdrillError('INFRA_START_FAILED', 'Found no free /24 in 10.200.0.0–10.249.255.0 for the node network');
}

/** Routes wider than /24 (10.0.0.0/8 and the like) that would already cover the candidate. */
function overlapsWideRoute(routes: string, prefix: string): boolean {
  const [a, b] = prefix.split('.').map(Number) as [number, number];
  return routes.split('\n').some((line) => {
    const m = /(?:^|\s)(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)/.exec(line);
    if (!m) return false;
    const bits = Number(m[5]);
    if (bits > 16 || bits === 0) return false;
    const [r1, r2] = [Number(m[1]), Number(m[2])];
    return bits <= 8 ? r1 === a : r1 === a && r2 === b;
  });
}

export function createBridge(ip: string, net: NodeNetwork): void {
  const run = (args: string[]) => execFileSync(ip, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  try {
    run(['link', 'add', 'name', net.bridge, 'type', 'bridge']);
    run(['addr', 'add', `${net.nodeIp}/24`, 'dev', net.bridge]);
    run(['link', 'set', net.bridge, 'up']);
  } catch (e) {
    deleteBridge(ip, net.bridge);
    throw new AgentdrillError('INFRA_START_FAILED', `Could not make the node bridge ${net.bridge}: ${stderrOf(e)}`, { cause: e });
  }
}

/** Synchronous: it also runs from the process's exit hook. Missing already is fine. */
export function deleteBridge(ip: string, bridge: string): void {
  try {
    execFileSync(ip, ['link', 'del', bridge], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    // not there
  }
}

/** Interfaces attached to the bridge (the pods' host-side veths). */
export function bridgePorts(ip: string, bridge: string): string[] {
  try {
    return execFileSync(ip, ['-o', 'link', 'show', 'master', bridge], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 })
      .split('\n')
      .filter(Boolean)
      .map((line) => (line.split(':')[1] ?? '').trim().split('@')[0] ?? '')
      .filter(Boolean);
  } catch {
    return [];
  }
}

export function interfaceExists(name: string): boolean {
  try {
    execFileSync('ip', ['link', 'show', name], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

function stderrOf(e: unknown): string {
  const stderr = (e as { stderr?: Buffer }).stderr;
  return stderr ? stderr.toString().trim() : String(e);
}
