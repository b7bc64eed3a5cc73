import type { CheckedOrder, Decision } from './messages.ts';

/**
 * The decision agent's business logic, with no I/O: the agent applies it to what it consumes,
 * and the state-corruption drill applies it to the `inventory-checked` log to recompute what the
 * agent's state must be. One function for both, so "rebuilt state equals the log" compares like
 * with like.
 */
export interface SkuState {
  reserved: number;
  version: number;
}

export interface DecisionState {
  format: 'agentdrill-decision-state/1';
  stateVersion: number;
  /** Last input seq applied, for runbooks checking a rebuilt state against the log. */
  lastSeq: number;
  skus: Record<string, SkuState>;
}

export function emptyDecisionState(): DecisionState {
  return { format: 'agentdrill-decision-state/1', stateVersion: 0, lastSeq: 0, skus: {} };
}

/** One SKU's next state for one order: accept while the stock allows. Pure. */
export function decideSku(sku: SkuState, order: CheckedOrder): { next: SkuState; accept: boolean } {
  const accept = sku.reserved + order.qty <= order.available;
  return { next: { reserved: accept ? sku.reserved + order.qty : sku.reserved, version: sku.version + 1 }, accept };
}

/** Applies one order to `state` (in place, for the agent's hot path) and answers the decision record. */
export function decide(state: DecisionState, order: CheckedOrder): Decision {
  const { next, accept } = decideSku(state.skus[order.sku] ?? { reserved: 0, version: 0 }, order);
  state.skus[order.sku] = next;
  state.stateVersion++;
  state.lastSeq = order.seq;
  return { ...order, decision: accept ? 'accept' : 'reject', reserved: next.reserved, stateVersion: state.stateVersion };
}

/** The agent's input filter: what it would apply; anything else it counts invalid and skips. */
export function asCheckedOrder(value: unknown): CheckedOrder | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Partial<CheckedOrder>;
  if (typeof o.sku !== 'string' || typeof o.qty !== 'number' || typeof o.available !== 'number') return undefined;
  return o as CheckedOrder;
}

/**
 * The state the agent must hold after consuming `orders` from scratch. Per-SKU results depend
 * only on that SKU's orders in log order, and a SKU lives in one partition (keyed by SKU), so
 * replaying partition by partition gives the agent's per-SKU state whatever the interleaving.
 */
export function replayDecisions(orders: Iterable<unknown>): DecisionState {
  const state = emptyDecisionState();
  for (const value of orders) {
    const order = asCheckedOrder(value);
    if (order) decide(state, order);
  }
  return state;
}

/**
 * SKUs whose reservation or version differ. `stateVersion` and `lastSeq` are left out on
 * purpose: they depend on how partitions interleaved, not on what was decided.
 */
export function diffSkuStates(actual: Record<string, SkuState>, expected: Record<string, SkuState>): string[] {
  const names = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort();
  const diffs: string[] = [];
  for (const name of names) {
    const a = actual[name];
    const e = expected[name];
    if (a?.reserved === e?.reserved && a?.version === e?.version) continue;
    diffs.push(`${name}: state ${a ? `reserved ${a.reserved} v${a.version}` : 'missing'}, log says ${e ? `reserved ${e.reserved} v${e.version}` : 'nothing'}`);
  }
  return diffs;
}
