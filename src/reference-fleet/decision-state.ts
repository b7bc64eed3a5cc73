import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { emptyDecisionState, type DecisionState } from './decision-logic.ts';

/**
 * The decision agent's state file. The agent trusts whatever the file says on start, exactly the
 * weakness the state-corruption drill exercises. The logic itself lives in decision-logic.ts
 * (shared with the drill's log replay); it is re-exported here for existing callers.
 */
export { decide, emptyDecisionState, type DecisionState, type SkuState } from './decision-logic.ts';

/**
 * Undefined when there is no file; throws when it is not JSON or not an object. The agent then
 * exits non-zero at start, and so crash-loops under the supervisor's restart policy until someone
 * deletes the file: a truncated or garbage state file shows up as restarts and decision lag.
 */
export function loadDecisionState(file: string): DecisionState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const parsed = JSON.parse(text) as Partial<DecisionState> | null;
  // Valid JSON that is not a state (a truncated file that happens to parse, `null`) is just as unreadable.
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${file} does not hold a decision state`);
  return { ...emptyDecisionState(), ...parsed, skus: parsed.skus ?? {} };
}

/** Write-then-rename: a crash mid-write leaves the previous state, never half a file. */
export function saveJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, file);
}
