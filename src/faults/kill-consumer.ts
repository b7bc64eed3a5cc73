import { AgentdrillError } from '../core/errors.ts';
import type { EndingSignal } from '../fleet/ending-signals.ts';
import type { FleetTopology } from '../fleet/types.ts';
import type { Fault, FaultContext, InjectedFault } from './fault.ts';
import { pickInstance, type InstanceChoice } from './pick-instance.ts';
import { rebalanceFigures } from './rebalance-figures.ts';

export interface KillConsumerFaultSpec {
  type: 'kill-consumer';
  agent: string;
  /** 1-based among the agent's running instances in start order, or `random` among them. */
  instance: InstanceChoice;
  signal: EndingSignal;
}

/**
 * What the group sees after each signal. Only a member that closes its consumer leaves the group;
 * one that dies otherwise stays a member until its session times out.
 */
const groupEffect: Record<EndingSignal, string> = {
  SIGKILL: 'no clean leave: its partitions stall until its session times out',
  SIGTERM: 'a clean leave if the agent handles SIGTERM: the group rebalances at once, without the session wait',
  SIGINT: 'a clean leave if the agent handles SIGINT: the group rebalances at once, without the session wait',
  SIGQUIT: 'most runtimes exit without leaving the group (a JVM prints a thread dump and keeps running)',
  SIGABRT: 'an abort, as in a crash: no clean leave',
};

/**
 * Partition rebalancing: one member of a consumer group is sent a signal (SIGKILL by default:
 * the broker only notices when its session times out, 10 s for the reference agents; meanwhile
 * its partitions go unconsumed, and the rebalance that follows pauses every member). The
 * supervisor restarts the process per policy, as an orchestrator would, and its rejoin is part
 * of the same rebalance. Nothing to undo: the fault is the signal.
 */
export function killConsumerFault(spec: KillConsumerFaultSpec): Fault {
  const which = spec.instance === 'random' ? `a random running instance of ${spec.agent}` : `${spec.agent} instance #${spec.instance}`;
  return {
    type: 'kill-consumer',
    describe: () => `${spec.signal} ${which} (${groupEffect[spec.signal]})`,
    async inject(context: FaultContext): Promise<InjectedFault> {
      const running = context.fleet.instances().filter((i) => i.agent === spec.agent && i.state === 'running');
      const picked = pickInstance(running, spec.instance, context.random);
      if (!picked) {
        throw new AgentdrillError('FAULT_FAILED', `${spec.agent} has ${running.length} running instance(s); cannot signal ${spec.instance === 'random' ? 'a random one' : `#${spec.instance}`}`, {
          hint: `set the replicas of ${spec.agent} to at least ${spec.instance === 'random' ? 1 : spec.instance}`,
        });
      }
      const { instance: target, position } = picked;
      await context.fleet.killInstance(target.id, spec.signal);
      const { groups, groupAgents }: FleetTopology = context.fleet.topology;
      const logicalGroup = Object.keys(groupAgents).find((g) => groupAgents[g] === spec.agent) ?? spec.agent;
      const group = groups[logicalGroup];
      const drawn = spec.instance === 'random' ? ', drawn at random' : '';
      return {
        detail: { agent: spec.agent, instanceId: target.id, pid: target.pid, instance: position, chosen: spec.instance === 'random' ? 'random' : 'fixed', signal: spec.signal, group, members: running.length },
        describe: () => `${spec.signal} ${target.id} (instance #${position} of ${running.length}${drawn}; ${groupEffect[spec.signal]})`,
        remove: () => Promise.resolve(),
        assess: (ctx: FaultContext) => {
          const figures = rebalanceFigures(ctx.journal.events, logicalGroup);
          // Figures only: a rebalance that was not seen makes the drill's numbers weaker, not the runbook wrong.
          return Promise.resolve({ figures: { killed: target.id, signal: spec.signal, ...(figures ?? {}) }, failures: [] });
        },
      };
    },
  };
}
