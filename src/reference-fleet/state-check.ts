import { getJson } from '../fleet/admin-client.ts';
import { diffSkuStates, replayDecisions, type DecisionState, type SkuState } from './decision-logic.ts';
import type { ReferenceFleet } from './fleet.ts';
import type { Admin } from 'kafkajs';
import type { FaultAssessment } from '../faults/fault.ts';
import { readTopicFromStart } from '../faults/read-log.ts';

/**
 * The reference fleet's extra scores after state corruption: how many invalid events escaped to
 * the sink (blast radius), and whether the decision state now equals the state recomputed from
 * the `inventory-checked` log. A mismatch means the runbook left a wrong state behind, which
 * fails the drill.
 */
export async function assessRebuiltState(fleet: ReferenceFleet, admin: Admin, agent: string): Promise<FaultAssessment> {
  // integrity(0): only the invalid count is read, and it does not depend on `produced`.
  const { invalid: blastRadius } = await fleet.integrity(0);
  const fulfillmentInvalid = await sumInvalid(fleet, 'fulfillment');
  const instances = fleet.instances().filter((i) => i.agent === agent);
  const restarts = instances.reduce((n, i) => n + i.restarts, 0);
  const figures: FaultAssessment['figures'] = { blastRadius, fulfillmentInvalid, decisionRestarts: restarts };
  const states = await Promise.all(
    instances.filter((i) => i.state === 'running').map((i) => getJson<DecisionState>(`${i.adminUrl}/state`, 5000).catch(() => undefined)),
  );
  if (states.length === 0 || states.some((s) => s === undefined)) {
    return { figures: { ...figures, stateMatchesLog: false }, failures: [`the ${agent} agent is not running: its state cannot be checked against the log`] };
  }
  // Each SKU lives in one partition, so instances never share one; merging is a plain union.
  const actual: Record<string, SkuState> = Object.assign({}, ...states.map((s) => s!.skus)) as Record<string, SkuState>;
  const log = await readTopicFromStart(admin, fleet.topology.topics.inventoryChecked);
  const expected = replayDecisions(log.flat());
  const diffs = diffSkuStates(actual, expected.skus);
  const result = { ...figures, stateMatchesLog: diffs.length === 0, logEvents: expected.stateVersion, skusDiffering: diffs.length };
  const failures = diffs.length === 0 ? [] : [`rebuilt ${agent} state differs from the event log in ${diffs.length} SKU(s), e.g. ${diffs.slice(0, 2).join('; ')}`];
  return { figures: result, failures };
}

async function sumInvalid(fleet: ReferenceFleet, agent: string): Promise<number> {
  const running = fleet.instances().filter((i) => i.agent === agent && i.state === 'running');
  const metrics = await Promise.all(running.map((i) => fleet.metrics(i.id)));
  return metrics.reduce((sum, m) => sum + (m?.invalid ?? 0), 0);
}
