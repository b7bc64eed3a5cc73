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

type Watermarks = Awaited<ReturnType<Admin['fetchTopicOffsets']>>;
type Committed = Awaited<ReturnType<Admin['fetchOffsets']>>[number]['partitions'];

/**
 * Every group's offsets on its topic for one sample. The watermarks are read once per topic,
 * however many groups consume it (a fan-out fleet has several on one topic): kafkajs reads them
 * with two ListOffsets requests a topic, and the group's committed offsets take one OffsetFetch
 * each (its admin API has no multi-group fetch).
 */
export async function readGroupsOffsets(admin: Admin, groups: readonly { groupId: string; topic: string }[]): Promise<GroupOffsets[]> {
  const topics = [...new Set(groups.map((g) => g.topic))];
  const [watermarks, committed] = await Promise.all([
    Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic))),
    Promise.all(groups.map(({ groupId, topic }) => admin.fetchOffsets({ groupId, topics: [topic] }))),
  ]);
  const byTopic = new Map(topics.map((topic, i) => [topic, watermarks[i]!]));
  return groups.map((g, i) => groupOffsetsFrom(byTopic.get(g.topic)!, committed[i]![0]?.partitions ?? []));
}

/**
 * Lag is the high watermark minus the committed offset, per partition. A partition the group has
 * never committed counts from its low watermark, so a brand-new group's backlog is visible too.
 */
export function groupOffsetsFrom(watermarks: Watermarks, committedPartitions: Committed): GroupOffsets {
  const committedByPartition = new Map<number, number>();
  for (const p of committedPartitions) committedByPartition.set(p.partition, Number(p.offset));
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
