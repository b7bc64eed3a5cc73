import { AgentdrillError } from '../core/errors.ts';
import { diffSkuStates, replayDecisions, type DecisionState, type SkuState } from '../fleet/decision-logic.ts';
import { getJson } from '../fleet/admin-client.ts';
import { asReferenceFleet } from '../fleet/fleet.ts';
import { corruptStateFile } from './corrupt-file.ts';
import type { CorruptionMode } from './corruption-modes.ts';
import type { Fault, FaultAssessment, FaultContext, InjectedFault } from './fault.ts';
import { readTopicFromStart } from './read-log.ts';

export interface CorruptStateFaultSpec {
  type: 'corrupt-state';
  agent: 'decision';
  mode: CorruptionMode;
}

/**
 * State corruption: SIGKILL the decision agent mid-stream, corrupt its state file while it is
 * down, and let the supervisor's restart policy bring it back on the corrupted file. The order
 * is the point: kill, wait for the exit, corrupt, and only then the restart (the policy waits
 * at least 250 ms; should it ever have restarted first, the fault restarts it again so it does
 * load the corrupted file).
 */
export function corruptStateFault(spec: CorruptStateFaultSpec): Fault {
  return {
    type: 'corrupt-state',
    describe: () => `SIGKILL ${spec.agent}, corrupt its state file (${spec.mode}), supervisor restart`,
    async inject(context: FaultContext): Promise<InjectedFault> {
      const { fleet, journal, clock } = context;
      const target = fleet.instances().find((i) => i.agent === spec.agent && i.state === 'running' && i.stateFile);
      if (!target?.stateFile) {
        throw new AgentdrillError('FAULT_FAILED', `no running ${spec.agent} instance with a state file to corrupt`);
      }
      const { id, stateFile } = target;
      await fleet.killInstance(id, 'SIGKILL');
      const stateAfterKill = fleet.instances().find((i) => i.id === id)?.state;
      const bytes = corruptStateFile(stateFile, spec.mode);
      const corruptedAt = clock.now();
      // Still waiting for its backoff restart: that restart reads the corrupted file.
      const restartedBeforeCorruption = fleet.instances().find((i) => i.id === id)?.state !== 'restarting';
      if (restartedBeforeCorruption) {
        // Truncate and garbage never get healthy: the failed wait is the expected outcome.
        await fleet.restartInstance(id).catch(() => undefined);
      }
      const detail = { agent: spec.agent, instanceId: id, mode: spec.mode, stateFile, corruptedAt, stateAfterKill, restartedBeforeCorruption, ...bytes };
      journal.record('observation', { kind: 'state.corrupted', agent: spec.agent, instanceId: id, detail });
      return {
        detail,
        // A corrupted file cannot be un-corrupted; repairing it is the runbook's job.
        remove: () => Promise.resolve(),
        assess: (ctx) => assessRebuiltState(ctx, spec.agent),
      };
    },
  };
}

/**
 * The extra scores: how many invalid events escaped to the sink (blast radius), and whether the
 * decision state now equals the state recomputed from the `inventory-checked` log. A mismatch
 * means the runbook left a wrong state behind, which fails the drill.
 */
export async function assessRebuiltState(context: FaultContext, agent: 'decision'): Promise<FaultAssessment> {
  const { admin } = context;
  const fleet = asReferenceFleet(context.fleet, 'corrupt-state');
  // integrity(0): only the invalid count is read, and it does not depend on `produced`.
  const { invalid: blastRadius } = await fleet.integrity(0);
  const fulfillmentInvalid = await sumInvalid(context, 'fulfillment');
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

async function sumInvalid(context: FaultContext, agent: string): Promise<number> {
  const fleet = asReferenceFleet(context.fleet, 'corrupt-state');
  const running = fleet.instances().filter((i) => i.agent === agent && i.state === 'running');
  const metrics = await Promise.all(running.map((i) => fleet.metrics(i.id)));
  return metrics.reduce((sum, m) => sum + (m?.invalid ?? 0), 0);
}
