import { AgentdrillError } from '../core/errors.ts';
import { corruptDecisionState } from '../fleet/decision-state.ts';
import { isReferenceFleet } from '../fleet/fleet.ts';
import type { InstanceInfo } from '../fleet/types.ts';
import { corruptStateDir, corruptStateFile, type CorruptionFigures } from './corrupt-file.ts';
import type { CorruptionMode } from './corruption-modes.ts';
import type { Fault, FaultContext, InjectedFault } from './fault.ts';
import { assessRebuiltState } from './reference-state-check.ts';
import { assessTeamState } from './state-assessment.ts';

export interface CorruptStateFaultSpec {
  type: 'corrupt-state';
  /** An agent that declares its state (a fleet file's `state:`, the reference fleet's decision). */
  agent: string;
  mode: CorruptionMode;
  /** 1-based, among the agent's running instances that keep state, in start order. */
  instance: number;
}

/**
 * State corruption: SIGKILL one instance mid-stream, corrupt its state while it is down, and let
 * the supervisor's restart policy bring it back on the corrupted state. The order is the point:
 * kill, wait for the exit, corrupt, and only then the restart (the policy waits at least 250 ms;
 * should it ever have restarted first, the fault restarts it again so it does load the
 * corrupted state).
 */
export function corruptStateFault(spec: CorruptStateFaultSpec): Fault {
  return {
    type: 'corrupt-state',
    describe: () => `SIGKILL ${spec.agent} #${spec.instance}, corrupt its state (${spec.mode}), supervisor restart`,
    async inject(context: FaultContext): Promise<InjectedFault> {
      const { fleet, journal, clock } = context;
      const keeping = fleet.instances().filter((i) => i.agent === spec.agent && i.state === 'running' && (i.stateFile ?? i.stateDir));
      const target = keeping[spec.instance - 1];
      if (!target) {
        throw new AgentdrillError('FAULT_FAILED', `${spec.agent} has ${keeping.length} running instance(s) with state; cannot corrupt #${spec.instance}`, {
          hint: `pick an instance from 1 to ${keeping.length}, or run more replicas of ${spec.agent}`,
        });
      }
      const { id } = target;
      const reference = isReferenceFleet(fleet);
      await fleet.killInstance(id, 'SIGKILL');
      const stateAfterKill = fleet.instances().find((i) => i.id === id)?.state;
      const figures = corrupt(target, spec.mode, reference);
      const corruptedAt = clock.now();
      // Still waiting for its backoff restart: that restart reads the corrupted state.
      const restartedBeforeCorruption = fleet.instances().find((i) => i.id === id)?.state !== 'restarting';
      if (restartedBeforeCorruption) {
        // An agent that refuses its state never gets healthy: the failed wait is the expected outcome.
        await fleet.restartInstance(id).catch(() => undefined);
      }
      const where = target.stateFile ? { stateFile: target.stateFile } : { stateDir: target.stateDir };
      const detail = { agent: spec.agent, instanceId: id, mode: spec.mode, ...where, corruptedAt, stateAfterKill, restartedBeforeCorruption, ...figures };
      journal.record('observation', { kind: 'state.corrupted', agent: spec.agent, instanceId: id, detail });
      return {
        detail,
        // A corrupted state cannot be un-corrupted; repairing it is the runbook's job.
        remove: () => Promise.resolve(),
        assess: (ctx: FaultContext) => (reference ? assessRebuiltState(ctx, spec.agent) : assessTeamState(ctx, spec.agent)),
      };
    },
  };
}

function corrupt(target: InstanceInfo, mode: CorruptionMode, reference: boolean): CorruptionFigures {
  // The reference decision agent's plausible corruption knows its format: every SKU's reservation goes wrong.
  const options = reference ? { plausible: corruptDecisionState } : {};
  if (target.stateFile) return corruptStateFile(target.stateFile, mode, options);
  return corruptStateDir(target.stateDir!, mode, options);
}
