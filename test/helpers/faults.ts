import type { FaultSpec } from '../../src/faults/registry.ts';
import { faultSchema } from '../../src/scenario/fault-schemas.ts';
import { referenceTargets, resolveFaultTargets } from '../../src/scenario/fault-targets.ts';

/** A `fault:` block as a reference-fleet scenario resolves it: parsed, then its target checked and defaulted. Throws on any problem. */
export function referenceFault(input: unknown): FaultSpec {
  const { fault, problems } = resolveFaultTargets(faultSchema.parse(input), referenceTargets);
  if (!fault) throw new Error(problems.map((p) => p.message).join('; '));
  return fault;
}

export function referenceFaultOk(input: unknown): boolean {
  const parsed = faultSchema.safeParse(input);
  return parsed.success && resolveFaultTargets(parsed.data, referenceTargets).fault !== undefined;
}
