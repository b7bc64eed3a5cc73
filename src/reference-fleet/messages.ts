/** The records flowing between agents; every hop adds fields and keeps the earlier ones. */
export interface Order {
  seq: number;
  sku: string;
  qty: number;
  ts: number;
}

export interface CheckedOrder extends Order {
  available: number;
}

export const decisionValues = ['accept', 'reject'] as const;
export type DecisionValue = (typeof decisionValues)[number];

export interface Decision extends CheckedOrder {
  decision: DecisionValue;
  /** Units of this SKU reserved after this decision (the decision agent's running state). */
  reserved: number;
  stateVersion: number;
}

export interface Fulfilled extends Decision {
  valid: boolean;
  problems?: string[];
}

/** Stock per SKU, a pure function of the name so every API instance (and a test) agrees. */
export function availableFor(sku: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < sku.length; i++) h = Math.imul(h ^ sku.charCodeAt(i), 0x01000193);
  return 100 + ((h >>> 0) % 900);
}
