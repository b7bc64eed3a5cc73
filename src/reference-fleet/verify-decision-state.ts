import { Kafka, logLevel } from 'kafkajs';
import { readTopicFromStart } from '../faults/read-log.ts';
import { getJson } from '../fleet/admin-client.ts';
import { diffSkuStates, replayDecisions, type DecisionState } from './decision-logic.ts';

/**
 * The decision agent's `state.verify` (examples/order-pipeline/fleet.yaml): one instance's
 * in-memory state (GET STATE_URL/state) held against the state recomputed from the
 * LOG_TOPIC log, as an auditor would. Exit 0 when they agree. The last line is the check's
 * figures, which the drill's assessment shows: how many invalid decisions reached END_TOPIC
 * (the blast radius), how many orders the log held, how many SKUs differ.
 */
const env = process.env;
const brokers = (env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
const required = { STATE_URL: env.STATE_URL, LOG_TOPIC: env.LOG_TOPIC, END_TOPIC: env.END_TOPIC };
const unset = Object.entries(required).filter(([, v]) => !v).map(([k]) => k);
if (brokers.length === 0 || unset.length > 0) {
  console.log(`set ${[...(brokers.length ? [] : ['KAFKA_BROKERS']), ...unset].join(', ')}`);
  process.exit(2);
}

const admin = new Kafka({ clientId: 'verify-decision-state', brokers, logLevel: logLevel.NOTHING }).admin();
await admin.connect();
try {
  const [state, log, outputs] = await Promise.all([
    getJson<DecisionState>(`${required.STATE_URL!.replace(/\/+$/, '')}/state`, 5000).catch(() => undefined),
    readTopicFromStart(admin, required.LOG_TOPIC!),
    readTopicFromStart(admin, required.END_TOPIC!),
  ]);
  const blastRadius = outputs.flat().filter((o) => typeof o === 'object' && o !== null && (o as { valid?: unknown }).valid === false).length;
  if (!state) {
    console.log('the decision agent is not running: its state cannot be checked against the log');
    console.log(JSON.stringify({ blastRadius }));
    process.exitCode = 1;
  } else {
    // Each SKU lives in one partition, so replaying partition by partition gives the agent's per-SKU state.
    const expected = replayDecisions(log.flat());
    const diffs = diffSkuStates(state.skus, expected.skus);
    console.log(diffs.length === 0 ? 'decision state equals the event log' : `rebuilt decision state differs from the event log in ${diffs.length} SKU(s), e.g. ${diffs.slice(0, 2).join('; ')}`);
    console.log(JSON.stringify({ blastRadius, logEvents: expected.stateVersion, skusDiffering: diffs.length }));
    process.exitCode = diffs.length === 0 ? 0 : 1;
  }
} finally {
  await admin.disconnect();
}
