import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';

/**
 * An open port only means the socket is bound; metadata may still be loading, so a broker is
 * ready when describeCluster() lists it and a controller. Failures in between are normal and
 * retried until the deadline; `gone` lets the caller stop early when the broker has died.
 */
export async function waitForBrokerReady(
  brokers: string[],
  deadline: number,
  gone: () => Error | undefined = () => undefined,
): Promise<void> {
  const kafka = new Kafka({
    clientId: 'agentdrill-readiness',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  let lastError: unknown;
  while (Date.now() < deadline) {
    const died = gone();
    if (died) throw died;
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
    } catch (e) {
      lastError = e;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await sleep(250);
  }
  throw new Error(`describeCluster kept failing until the deadline (last: ${String(lastError)})`);
}
