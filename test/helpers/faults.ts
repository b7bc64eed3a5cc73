import type { FaultSpec } from '../../src/faults/registry.ts';
import { faultSchema } from '../../src/scenario/fault-schemas.ts';
import { referenceTargets } from '../../src/reference-fleet/targets.ts';
import { resolveFaultTargets } from '../../src/scenario/fault-targets.ts';

/** Sizes are not what these parse checks are about: every agent as large as a scenario allows. */
const anySize = referenceTargets({ inventory: 32, decision: 32, fulfillment: 32, sink: 32 });

/** A `fault:` block as a reference-fleet scenario resolves it: parsed, then its target checked and defaulted. Throws on any problem. */
export function referenceFault(input: unknown): FaultSpec {
  const { fault, problems } = resolveFaultTargets(faultSchema.parse(input), anySize);
  if (!fault) throw new Error(problems.map((p) => p.message).join('; '));
  return fault;
}

export function referenceFaultOk(input: unknown): boolean {
  const parsed = faultSchema.safeParse(input);
  return parsed.success && resolveFaultTargets(parsed.data, anySize).fault !== undefined;
}
