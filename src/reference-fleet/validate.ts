import { decisionValues } from './messages.ts';

/**
 * Fulfillment's input check. It cannot know the decision agent's state, only whether a decision
 * is well-formed and self-consistent; a corrupted state file shows up here as negative or
 * non-integer reservations, or accepts that reserve less than the order.
 */
export function validateDecision(input: unknown): string[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return ['not a JSON object'];
  const d = input as Record<string, unknown>;
  const problems: string[] = [];
  const isInt = (v: unknown, min: number): v is number => Number.isSafeInteger(v) && (v as number) >= min;
  if (!isInt(d.seq, 1)) problems.push('seq must be a positive integer');
  if (typeof d.sku !== 'string' || d.sku.length === 0) problems.push('sku must be a non-empty string');
  if (!isInt(d.qty, 1)) problems.push('qty must be a positive integer');
  if (!decisionValues.includes(d.decision as never)) problems.push(`decision must be one of ${decisionValues.join(', ')}`);
  if (!isInt(d.reserved, 0)) problems.push('reserved must be a non-negative integer');
  if (!isInt(d.stateVersion, 1)) problems.push('stateVersion must be a positive integer');
  if (d.available !== undefined && !isInt(d.available, 0)) problems.push('available must be a non-negative integer');
  if (problems.length > 0) return problems;
  const reserved = d.reserved as number;
  if (d.available !== undefined && reserved > (d.available as number)) problems.push('reserved exceeds available');
  if (d.decision === 'accept' && reserved < (d.qty as number)) problems.push('accepted order reserves less than its qty');
  return problems;
}
