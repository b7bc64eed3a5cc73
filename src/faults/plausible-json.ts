import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Plausible corruption of a state file the drill knows only as JSON: the same structure, every
 * number made wrong (negated and pushed past zero), so the agent loads it without complaint and
 * works from values that never happened. Answers how many values changed: none means the file
 * held no number to falsify, and the fault must say so rather than call an untouched file corrupt.
 * A file that is not JSON answers undefined (plausible corruption needs a format it can keep).
 */
export function corruptJsonPlausibly(file: string): number | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  let changed = 0;
  const falsify = (v: unknown): unknown => {
    if (typeof v === 'number' && Number.isFinite(v)) {
      changed++;
      return -Math.abs(v) - 1000;
    }
    if (Array.isArray(v)) return v.map(falsify);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, falsify(inner)]));
    return v;
  };
  const wrong = falsify(value);
  writeFileSync(file, JSON.stringify(wrong));
  return changed;
}
