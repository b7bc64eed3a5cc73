import type { FleetTargets } from '../scenario/fault-targets.ts';
import { consumerAgents } from './types.ts';

/** The reference fleet's targets, sized as the scenario sizes it. */
export function referenceTargets(replicas: Readonly<Record<string, number>>): FleetTargets {
  return { ...referenceShape, replicas };
}

const referenceShape: Omit<FleetTargets, 'replicas'> = {
  label: 'the reference fleet',
  dependencies: ['inventory-api'],
  consumers: consumerAgents,
  stateful: ['decision'],
  growable: ['fulfillment'],
  defaults: { 'kill-consumer': 'inventory', 'corrupt-state': 'decision', 'memory-growth': 'fulfillment' },
  unsupported: {},
};
