import type { Admin } from 'kafkajs';
import { AgentdrillError } from '../core/errors.ts';

/**
 * `agentdrill ctl reset-offsets`: what `kafka-consumer-groups --reset-offsets --execute` does, with
 * the same precondition: the group must be empty, or the reset would be overwritten by the next
 * commit of a live member. The step order of a runbook (stop first) is what makes it work.
 */
export async function resetGroupOffsets(
  admin: Admin,
  groupId: string,
  topic: string,
  to: string,
): Promise<{ group: string; topic: string; partitions: { partition: number; offset: string }[] }> {
  const { groups } = await admin.describeGroups([groupId]);
  const members = groups[0]?.members.length ?? 0;
  if (members > 0) {
    throw new AgentdrillError('USAGE', `group ${groupId} has ${members} active member(s); offsets can only be reset on an empty group`, {
      hint: 'stop the consuming agent first (agentdrill ctl stop <agent>), then reset, then restart it',
    });
  }
  const watermarks = await admin.fetchTopicOffsets(topic);
  let partitions: { partition: number; offset: string }[];
  if (to === 'earliest' || to === 'latest') {
    partitions = watermarks.map((w) => ({ partition: w.partition, offset: to === 'earliest' ? w.low : w.high }));
  } else if (/^\d+$/.test(to)) {
    partitions = watermarks.map((w) => ({ partition: w.partition, offset: String(Math.min(Number(to), Number(w.high))) }));
  } else {
    throw new AgentdrillError('USAGE', `cannot reset offsets to "${to}"`, { hint: 'use earliest, latest or an offset number' });
  }
  await admin.setOffsets({ groupId, topic, partitions });
  return { group: groupId, topic, partitions };
}
