import { getJson } from '../fleet/admin-client.ts';
import type { ManagedInstance } from '../fleet/instance.ts';
import { countUnion } from '../integrity/seq-tracker.ts';
import { bitsOf, readSinkSnapshot, type SinkSnapshot } from './sink-state.ts';
import type { IntegrityReport } from '../fleet/types.ts';

/**
 * Lost / duplicated / invalid counts over every sink instance that ever ran. A running instance
 * answers from memory; one that is down or scaled down answers through its last checkpoint,
 * which is exactly what it committed offsets for. Bitmaps are OR-ed, since a partition may have
 * moved between sinks.
 */
export async function measureIntegrity(sinks: readonly ManagedInstance[], produced: number): Promise<IntegrityReport> {
  const snapshots = await Promise.all(sinks.map((s) => snapshotOf(s)));
  const present = snapshots.filter((s): s is SinkSnapshot => s !== undefined);
  const bitmaps = present.map(bitsOf);
  const maxBits = Math.max(0, ...bitmaps.map((b) => b.length * 8 - 1));
  const received = present.reduce((sum, s) => sum + s.received, 0);
  const processed = countUnion(bitmaps, produced);
  return {
    produced,
    processed,
    lost: produced - processed,
    duplicated: received - countUnion(bitmaps, maxBits),
    invalid: present.reduce((sum, s) => sum + s.invalid, 0),
  };
}

async function snapshotOf(sink: ManagedInstance): Promise<SinkSnapshot | undefined> {
  if (sink.running) {
    try {
      return await getJson<SinkSnapshot>(`${sink.adminUrl}/seqs`, 5000);
    } catch {
      // Went down between the state check and the call: its checkpoint is the truth now.
    }
  }
  const file = sink.info().stateFile;
  return file ? readSinkSnapshot(file) : undefined;
}
