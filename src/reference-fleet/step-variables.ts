import path from 'node:path';
import { commonNames } from '../drill/step-environment.ts';
import type { ReferenceTopology } from './types.ts';

/** The variables the drill sets for every step of a reference-fleet drill; `validate` treats them as bound. */
export const referenceEnvironmentNames = [
  ...commonNames,
  'INVENTORY_API_URL',
  'ORDERS_TOPIC',
  'INVENTORY_CHECKED_TOPIC',
  'DECISIONS_TOPIC',
  'FULFILLED_TOPIC',
  'INVENTORY_GROUP',
  'DECISION_GROUP',
  'FULFILLMENT_GROUP',
  'SINK_GROUP',
  'DECISION_STATE_FILE',
] as const;

/** The reference fleet's names, as its runbook uses them. */
export function referenceVariables(topology: ReferenceTopology, inventoryApiUrl: string, workDir: string): Record<string, string> {
  return {
    INVENTORY_API_URL: inventoryApiUrl,
    ORDERS_TOPIC: topology.topics.orders,
    INVENTORY_CHECKED_TOPIC: topology.topics.inventoryChecked,
    DECISIONS_TOPIC: topology.topics.decisions,
    FULFILLED_TOPIC: topology.topics.fulfilled,
    INVENTORY_GROUP: topology.groups.inventory,
    DECISION_GROUP: topology.groups.decision,
    FULFILLMENT_GROUP: topology.groups.fulfillment,
    SINK_GROUP: topology.groups.sink,
    // The first decision instance's state file, by the supervisor's convention (<workDir>/state/<id>.json);
    // a state-corruption runbook deletes it while the agent is stopped.
    DECISION_STATE_FILE: path.join(workDir, 'state', 'decision-1.json'),
  };
}
