import type { DrillFleet } from '../scenario/fleet-ref.ts';
import type { FleetSpec } from './types.ts';

/** The reference fleet a scenario asks for, under a per-drill prefix for topic and group names. */
export function fleetSpecFromScenario(fleet: Extract<DrillFleet, { kind: 'reference' }>, ratePerSec: number, prefix: string): FleetSpec {
  const { agents, partitions } = fleet;
  return {
    prefix,
    partitions,
    agents: { inventory: agents.inventory, decision: agents.decision, fulfillment: agents.fulfillment, sink: agents.sink },
    load: { ratePerSec },
  };
}
