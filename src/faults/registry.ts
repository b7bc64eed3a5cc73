import { corruptStateFault, type CorruptStateFaultSpec } from './corrupt-state.ts';
import type { Fault } from './fault.ts';
import { killConsumerFault, type KillConsumerFaultSpec } from './kill-consumer.ts';
import { memoryGrowthFault, type MemoryGrowthFaultSpec } from './memory-growth.ts';
import { noFault, type NoFaultSpec } from './no-fault.ts';
import { toxicFault } from './toxic-fault.ts';
import type { ToxicFaultSpec } from './toxic-kinds.ts';

/**
 * Fault type → factory, as k6 registers executors: a new fault adds one entry here and one
 * schema in src/scenario/fault-schemas.ts, and nothing else changes.
 */
export type FaultSpec = ToxicFaultSpec | CorruptStateFaultSpec | KillConsumerFaultSpec | MemoryGrowthFaultSpec | NoFaultSpec;

type FactoryFor<S> = (spec: S) => Fault;
const registry: { [K in FaultSpec['type']]: FactoryFor<Extract<FaultSpec, { type: K }>> } = {
  latency: toxicFault,
  timeout: toxicFault,
  bandwidth: toxicFault,
  'reset-peer': toxicFault,
  'slow-close': toxicFault,
  'memory-growth': memoryGrowthFault,
  'corrupt-state': corruptStateFault,
  'kill-consumer': killConsumerFault,
  none: noFault,
};

export function createFault(spec: FaultSpec): Fault {
  const factory = registry[spec.type] as FactoryFor<FaultSpec>;
  return factory(spec);
}

export const faultTypes = Object.keys(registry);
