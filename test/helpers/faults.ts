import type { FaultSpec } from '../../src/faults/registry.ts';
import { faultSchema } from '../../src/scenario/fault-schemas.ts';
import { resolveFaultTargets, type FleetTargets } from '../../src/scenario/fault-targets.ts';

/**
 * The order pipeline's targets, as the parse checks below need them. Sizes are not what these
 * checks are about: every agent as large as a scenario allows.
 */
const anySize: FleetTargets = {
  label: 'the order pipeline',
  dependencies: ['inventory-api'],
  consumers: ['inventory', 'decision', 'fulfillment', 'sink'],
  stateful: ['decision'],
  growable: ['fulfillment'],
  replicas: { inventory: 32, decision: 32, fulfillment: 32, sink: 32 },
};

/** The target these checks leave out, where the order pipeline's shipped scenarios put each fault. */
const usualTarget: Record<string, { agent?: string; target?: string }> = {
  'kill-consumer': { agent: 'inventory' },
  'corrupt-state': { agent: 'decision' },
  'memory-growth': { target: 'fulfillment' },
};

function withUsualTarget(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !('type' in input)) return input;
  return { ...usualTarget[String(input.type)], ...input };
}

/** A `fault:` block as a scenario of the order pipeline resolves it (its target filled in when left out): parsed, then its target checked. Throws on any problem. */
export function referenceFault(input: unknown): FaultSpec {
  const { fault, problems } = resolveFaultTargets(faultSchema.parse(withUsualTarget(input)), anySize);
  if (!fault) throw new Error(problems.map((p) => p.message).join('; '));
  return fault;
}

export function referenceFaultOk(input: unknown): boolean {
  const parsed = faultSchema.safeParse(withUsualTarget(input));
  return parsed.success && resolveFaultTargets(parsed.data, anySize).fault !== undefined;
}
