import type { FaultSpec } from '../../src/faults/registry.ts';
import { faultSchema } from '../../src/scenario/fault-schemas.ts';
import { resolveFaultTargets, type FleetTargets } from '../../src/scenario/fault-targets.ts';

/**
 * The order pipeline's targets, with a default for each fault, as the parse checks below need them.
 * Sizes are not what these checks are about: every agent as large as a scenario allows.
 */
const anySize: FleetTargets = {
  label: 'the order pipeline',
  dependencies: ['inventory-api'],
  consumers: ['inventory', 'decision', 'fulfillment', 'sink'],
  stateful: ['decision'],
  growable: ['fulfillment'],
  defaults: { 'kill-consumer': 'inventory', 'corrupt-state': 'decision', 'memory-growth': 'fulfillment' },
  unsupported: {},
  replicas: { inventory: 32, decision: 32, fulfillment: 32, sink: 32 },
};

/** A `fault:` block as a scenario of the order pipeline resolves it, with the defaults above: parsed, then its target checked and defaulted. Throws on any problem. */
export function referenceFault(input: unknown): FaultSpec {
  const { fault, problems } = resolveFaultTargets(faultSchema.parse(input), anySize);
  if (!fault) throw new Error(problems.map((p) => p.message).join('; '));
  return fault;
}

export function referenceFaultOk(input: unknown): boolean {
  const parsed = faultSchema.safeParse(input);
  return parsed.success && resolveFaultTargets(parsed.data, anySize).fault !== undefined;
}
