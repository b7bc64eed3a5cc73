/** The reference fleet's public surface: the shipped order pipeline, for the drill, the bench and tests. */
export { createFleet, startFleet, type Fleet, type FleetOptions, type FleetWithApi, type InventoryApi, type ReferenceFleet } from './fleet.ts';
export { createTopology } from './topology.ts';
export { corruptDecisionState, loadDecisionState, type DecisionState } from './decision-state.ts';
export * from './types.ts';
