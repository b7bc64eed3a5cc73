import { readFileSync } from 'node:fs';
import { SeqTracker } from '../integrity/seq-tracker.ts';

/** What a sink instance knows, as its checkpoint persists it (bitmap in base64). */
export interface SinkSnapshot {
  format: 'agentdrill-sink/1';
  received: number;
  invalid: number;
  bits: string;
}

export function toSnapshot(tracker: SeqTracker, invalid: number): SinkSnapshot {
  const { bits, received } = tracker.snapshot();
  return { format: 'agentdrill-sink/1', received, invalid, bits: Buffer.from(bits).toString('base64') };
}

export function bitsOf(snapshot: SinkSnapshot): Uint8Array {
  return new Uint8Array(Buffer.from(snapshot.bits, 'base64'));
}

/** Undefined when missing or unreadable: the sink then counts from scratch. */
export function readSinkSnapshot(file: string): SinkSnapshot | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SinkSnapshot>;
    if (parsed.format !== 'agentdrill-sink/1' || typeof parsed.bits !== 'string') return undefined;
    return { format: parsed.format, received: Number(parsed.received) || 0, invalid: Number(parsed.invalid) || 0, bits: parsed.bits };
  } catch {
    return undefined;
  }
}
