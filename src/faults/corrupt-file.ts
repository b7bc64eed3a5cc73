import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AgentdrillError } from '../core/errors.ts';
import type { CorruptionMode } from './corruption-modes.ts';
import { corruptJsonPlausibly } from './plausible-json.ts';

export interface CorruptOptions {
  random?: (n: number) => Buffer;
}

export interface CorruptionFigures {
  bytesBefore: number;
  bytesAfter: number;
  /** Files damaged (a state folder may hold several). */
  files: number;
  /** Plausible mode: values falsified. */
  valuesChanged?: number;
}

/**
 * How a state file goes bad, as it does in production:
 * - truncate: the first half of the bytes, what a non-atomic writer leaves when killed mid-write.
 *   An agent that checks its file refuses to start (crash loop).
 * - garbage: random bytes of the same length (disk or copy error). Same outcome: crash loop.
 * - plausible: well-formed state with wrong values. The agent loads it silently and works from
 *   values that never happened: the dangerous case.
 */
export function corruptStateFile(file: string, mode: CorruptionMode, options: CorruptOptions = {}): CorruptionFigures {
  const before = readOrEmpty(file);
  let valuesChanged: number | undefined;
  if (mode === 'plausible') {
    valuesChanged = corruptJsonPlausibly(file);
    if (!valuesChanged) {
      throw new AgentdrillError('FAULT_FAILED', `plausible corruption found ${valuesChanged === 0 ? 'no number to falsify' : 'no JSON'} in ${file}`, {
        hint: 'plausible mode rewrites the numbers of a JSON state; use mode: truncate or garbage for other formats',
      });
    }
  } else if (mode === 'truncate') writeFileSync(file, before.subarray(0, Math.floor(before.length / 2)));
  else writeFileSync(file, garbage(options.random ?? randomBytes, Math.max(64, before.length)));
  return { bytesBefore: before.length, bytesAfter: readOrEmpty(file).length, files: 1, ...(valuesChanged !== undefined ? { valuesChanged } : {}) };
}

/** At most this many files of a state folder are damaged: enough for any real agent, bounded for a hostile one. */
export const maxStateFiles = 256;

/**
 * A state folder goes bad file by file, each the same way. In plausible mode only the files the
 * corruptor understands change; the folder counts as corrupted when at least one did.
 */
export function corruptStateDir(dir: string, mode: CorruptionMode, options: CorruptOptions = {}): CorruptionFigures {
  const files = regularFiles(dir, maxStateFiles);
  if (files.length === 0) {
    throw new AgentdrillError('FAULT_FAILED', `the state folder ${dir} holds no file to corrupt`, { hint: 'the agent had written no state yet: inject later (a longer baseline) or point state: at where it writes' });
  }
  const total: CorruptionFigures = { bytesBefore: 0, bytesAfter: 0, files: 0 };
  for (const file of files) {
    let figures: CorruptionFigures;
    try {
      figures = corruptStateFile(file, mode, options);
    } catch (e) {
      if (mode === 'plausible') continue;
      throw e;
    }
    total.bytesBefore += figures.bytesBefore;
    total.bytesAfter += figures.bytesAfter;
    total.files += 1;
    if (figures.valuesChanged !== undefined) total.valuesChanged = (total.valuesChanged ?? 0) + figures.valuesChanged;
  }
  if (total.files === 0) {
    throw new AgentdrillError('FAULT_FAILED', `plausible corruption found no JSON with a number to falsify in ${dir}`, { hint: 'use mode: truncate or garbage for this state' });
  }
  return total;
}

/** Random bytes that are certainly not JSON: a leading 0xff can start no JSON text. */
function garbage(random: (n: number) => Buffer, length: number): Buffer {
  const bytes = random(length);
  bytes[0] = 0xff;
  return bytes;
}

function regularFiles(dir: string, limit: number): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    let entries;
    try {
      entries = readdirSync(at, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (found.length >= limit) return;
      const full = path.join(at, e.name);
      if (e.isFile()) found.push(full);
      else if (e.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return found;
}

function readOrEmpty(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}
