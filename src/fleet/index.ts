/** The reference fleet's public surface. */
export { asReferenceFleet, createFleet, isReferenceFleet, startFleet, type Fleet, type FleetOptions, type FleetWithApi, type InventoryApi, type ReferenceFleet } from './fleet.ts';
export { createTopology } from './topology.ts';
export type { Launcher, LaunchRequest, LaunchedInstance, ExitStatus } from './launcher.ts';
export { processLauncher } from './process-launcher.ts';
export { defaultRestartPolicy, type RestartPolicy } from './restart-policy.ts';
export { corruptDecisionState, loadDecisionState, type DecisionState } from './decision-state.ts';
export { parseScaleTarget } from './scale.ts';
export * from './types.ts';
