import type { FleetSpec } from '../fleet/types.ts';
import type { ScenarioConfig } from './schema.ts';

/** The fleet a scenario asks for, under a per-drill prefix for topic and group names. */
export function fleetSpecFromScenario(scenario: ScenarioConfig, prefix: string): FleetSpec {
  const { agents, partitions } = scenario.fleet;
  return {
    prefix,
    partitions,
    agents: { inventory: agents.inventory, decision: agents.decision, fulfillment: agents.fulfillment, sink: agents.sink },
    load: { ratePerSec: scenario.load.ratePerSec },
  };
}
