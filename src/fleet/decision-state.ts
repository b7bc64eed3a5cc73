import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { skuCount, skuFor, type CheckedOrder, type Decision } from './messages.ts';

/**
 * The decision agent's per-SKU state and its file. The agent trusts whatever the file says on
 * start, exactly the weakness the state-corruption drill exercises.
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

/** Accepts while stock allows; mutates `state` and answers the decision record. */
export function decide(state: DecisionState, order: CheckedOrder): Decision {
  const sku = (state.skus[order.sku] ??= { reserved: 0, version: 0 });
  const accept = sku.reserved + order.qty <= order.available;
  if (accept) sku.reserved += order.qty;
  sku.version++;
  state.stateVersion++;
  state.lastSeq = order.seq;
  return { ...order, decision: accept ? 'accept' : 'reject', reserved: sku.reserved, stateVersion: state.stateVersion };
}

/** Undefined when there is no file; throws when it is not JSON (the agent then crashes, as real ones do). */
export function loadDecisionState(file: string): DecisionState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const parsed = JSON.parse(text) as Partial<DecisionState>;
  return { ...emptyDecisionState(), ...parsed, skus: parsed.skus ?? {} };
}

/** Write-then-rename: a crash mid-write leaves the previous state, never half a file. */
export function saveJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, file);
}

/**
 * What the state-corruption fault writes: well-formed JSON whose reservations are wrong
 * (negative), so the agent starts, trusts it and emits decisions fulfillment rejects.
 */
export function corruptDecisionState(file: string): void {
  const state = loadDecisionState(file) ?? emptyDecisionState();
  for (const [name, sku] of Object.entries(state.skus)) state.skus[name] = { ...sku, reserved: -1_000_000 - sku.reserved };
  if (Object.keys(state.skus).length === 0) {
    for (let i = 0; i < skuCount; i++) state.skus[skuFor(i)] = { reserved: -1_000_000, version: 1 };
  }
  saveJsonAtomic(file, state);
}
