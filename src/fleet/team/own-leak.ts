import type { FleetDefinition } from '../definition/schema.ts';
import type { FleetFaultHooks } from '../types.ts';
import { configureInstance } from './admin-config.ts';

/**
 * The leak switch a fleet file's agent declares (`admin: { url, leak: { rate, retain } }`): the
 * memory-growth fault turns the agent's own leak on through its admin endpoint instead of
 * growing memory beside it, so the memory that grows is the agent's own, under any provider.
 */
export function ownLeakHooks(
  fleet: FleetDefinition,
  instance: (id: string) => { agent: string; adminUrl: string | undefined },
): Pick<FleetFaultHooks, 'leak' | 'leaks'> | undefined {
  const leaking = Object.values(fleet.agents).filter((a) => a.admin?.leak);
  if (leaking.length === 0) return undefined;
  return {
    leaks: (agent) => fleet.agents[agent]?.admin?.leak !== undefined,
    leak: async (id, leak) => {
      const { agent, adminUrl } = instance(id);
      const keys = fleet.agents[agent]?.admin?.leak;
      if (!keys) return;
      const patch = leak ? { [keys.rate]: leak.mbPerSec, ...(keys.retain ? { [keys.retain]: leak.cacheTtlMs } : {}) } : { [keys.rate]: 0 };
      await configureInstance(agent, adminUrl, leaking.map((a) => a.name), patch);
    },
  };
}
