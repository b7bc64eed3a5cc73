import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { corruptDecisionState } from '../fleet/decision-state.ts';
import type { CorruptionMode } from './corruption-modes.ts';


/**
 * How a state file goes bad, as it does in production:
 * - truncate: the first half of the bytes, what a non-atomic writer leaves when killed mid-write.
 *   Not JSON any more, so the decision agent refuses to start (crash loop).
 * - garbage: random bytes of the same length (disk or copy error). Same outcome: crash loop.
 * - plausible: well-formed state with wrong values (negative reservations). The agent loads it
 *   silently and emits decisions that fulfillment flags as invalid: the dangerous case.
 */
export function corruptStateFile(file: string, mode: CorruptionMode, random: (n: number) => Buffer = randomBytes): { bytesBefore: number; bytesAfter: number } {
  const before = readOrEmpty(file);
  if (mode === 'plausible') corruptDecisionState(file);
  else if (mode === 'truncate') writeFileSync(file, before.subarray(0, Math.floor(before.length / 2)));
  else writeFileSync(file, garbage(random, Math.max(64, before.length)));
  return { bytesBefore: before.length, bytesAfter: readOrEmpty(file).length };
}

/** Random bytes that are certainly not JSON: a leading 0xff can start no JSON text. */
function garbage(random: (n: number) => Buffer, length: number): Buffer {
  const bytes = random(length);
  bytes[0] = 0xff;
  return bytes;
}

function readOrEmpty(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}
