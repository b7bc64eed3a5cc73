import { Kafka, logLevel } from 'kafkajs';
import type { FleetTopology } from '../fleet/types.ts';

/**
 * Removes the drill's topics and consumer groups once its fleet is gone. On a broker the drill
 * started this is tidy; on a standing one (`--provider external`) it is what keeps a quarter of
 * drills from piling up topics. Best effort: teardown must go on if the broker is unreachable.
 */
export async function deleteDrillTopics(brokers: string[], topology: FleetTopology): Promise<void> {
  const admin = new Kafka({
    clientId: `agentdrill-cleanup-${topology.prefix}`,
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 1 },
  }).admin();
  await admin.connect();
  try {
    await admin.deleteGroups(Object.values(topology.groups)).catch(() => undefined);
    await admin.deleteTopics({ topics: Object.values(topology.topics), timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}
