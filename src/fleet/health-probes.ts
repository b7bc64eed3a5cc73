import net from 'node:net';
import type { Admin } from 'kafkajs';
import { httpRequest } from '../core/http.ts';
import type { HealthProbe } from './instance.ts';

/**
 * The three ways a team's agent can say it is up (fleet file `health:`). Each probe is one
 * bounded attempt; the instance retries it until its health timeout.
 */
export function httpProbe(url: (instanceId: string) => string, timeoutMs = 1000): HealthProbe {
  return async ({ id }) => {
    const res = await httpRequest(url(id), { timeoutMs, maxBytes: 1024 * 1024 });
    return res.status >= 200 && res.status < 300;
  };
}

export function tcpProbe(address: (instanceId: string) => string, timeoutMs = 1000): HealthProbe {
  return ({ id }) => {
    const at = address(id);
    const colon = at.lastIndexOf(':');
    return new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: at.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(at.slice(colon + 1)) });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  };
}

/**
 * A plain Kafka consumer has no endpoint; the broker is the witness. Which member is which
 * instance cannot be told from outside (client ids are the agent's business), so an instance
 * counts as up when its group is stable with at least as many members as the agent has
 * instances that should be running: the replicas come up together, as a rollout waits for them.
 */
export function groupProbe(admin: () => Admin, groupId: string, expectedMembers: () => number): HealthProbe {
  return async () => {
    const { groups } = await admin().describeGroups([groupId]);
    const group = groups[0];
    return group !== undefined && group.state === 'Stable' && group.members.length >= expectedMembers();
  };
}
