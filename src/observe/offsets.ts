import type { Admin } from 'kafkajs';

/** Sum of committed offsets and of lag over a group's partitions of one topic. */
export interface GroupOffsets {
  committed: number;
  lag: number;
  /** Per partition, as kafka_exporter reports them (the /metrics exporter serves these). */
  partitions: PartitionOffsets[];
}

export interface PartitionOffsets {
  partition: number;
  /** The log end offset (high watermark). */
  high: number;
  /** The group's committed offset, or -1 when it has never committed on this partition. */
  committed: number;
  lag: number;
}

/**
 * Lag is the high watermark minus the committed offset, per partition. A partition the group has
 * never committed counts from its low watermark, so a brand-new group's backlog is visible too.
 */
export async function readGroupOffsets(admin: Admin, groupId: string, topic: string): Promise<GroupOffsets> {
  const [watermarks, committedByTopic] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  const committedByPartition = new Map<number, number>();
  for (const p of committedByTopic[0]?.partitions ?? []) committedByPartition.set(p.partition, Number(p.offset));
  let committed = 0;
  let lag = 0;
  const partitions: PartitionOffsets[] = [];
  for (const w of watermarks) {
    const high = Number(w.high);
    const low = Number(w.low);
    const c = committedByPartition.get(w.partition) ?? -1;
    const position = c >= 0 ? c : low;
    committed += position;
    lag += Math.max(0, high - position);
    partitions.push({ partition: w.partition, high, committed: c, lag: Math.max(0, high - position) });
  }
  return { committed, lag, partitions };
}
