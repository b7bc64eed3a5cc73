import { AgentdrillError } from '../core/errors.ts';
import { corruptStateDir, corruptStateFile } from './corrupt-file.ts';
import type { CorruptionMode } from './corruption-modes.ts';
import type { Fault, FaultContext, InjectedFault } from './fault.ts';
import { assessTeamState } from './state-assessment.ts';

export interface CorruptStateFaultSpec {
  type: 'corrupt-state';
  /** An agent that declares its state (the fleet file's `state:`). */
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
      await fleet.killInstance(id, 'SIGKILL');
      const stateAfterKill = fleet.instances().find((i) => i.id === id)?.state;
      const figures = target.stateFile ? corruptStateFile(target.stateFile, spec.mode) : corruptStateDir(target.stateDir!, spec.mode);
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
        // The fleet file's own state.verify holds the state against the log, or the report says it was not assessed.
        assess: (ctx: FaultContext) => assessTeamState(ctx, spec.agent),
      };
    },
  };
}

