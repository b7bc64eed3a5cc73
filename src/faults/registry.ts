import type { Fault } from './fault.ts';
import { latencyFault, type LatencyFaultSpec } from './latency.ts';

/**
 * Fault type → factory, as k6 registers executors: a new fault adds one entry here and one
 * schema in src/scenario/fault-schemas.ts, and nothing else changes.
 */
export type FaultSpec = LatencyFaultSpec;

type FactoryFor<S> = (spec: S) => Fault;
const registry: { [K in FaultSpec['type']]: FactoryFor<Extract<FaultSpec, { type: K }>> } = {
  latency: latencyFault,
};

export function createFault(spec: FaultSpec): Fault {
  const factory = registry[spec.type] as FactoryFor<FaultSpec>;
  return factory(spec);
}

export const faultTypes = Object.keys(registry);
