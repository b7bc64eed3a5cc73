import { AgentdrillError } from '../core/errors.ts';
import type { FleetTopology } from '../fleet/types.ts';
import type { Fault, FaultContext, InjectedFault } from './fault.ts';
import { rebalanceFigures } from './rebalance-figures.ts';

export interface KillConsumerFaultSpec {
  type: 'kill-consumer';
  agent: string;
  /** 1-based, among the agent's running instances in start order. */
  instance: number;
}

/**
 * Partition rebalancing: SIGKILL one member of a consumer group. It cannot leave the group
 * cleanly, so the broker only notices when its session times out (10 s for the reference
 * agents); meanwhile its partitions go unconsumed, and the rebalance that follows pauses every
 * member. The supervisor restarts the process per policy, as an orchestrator would, and its
 * rejoin is part of the same rebalance. Nothing to undo: the fault is the kill.
 */
export function killConsumerFault(spec: KillConsumerFaultSpec): Fault {
  return {
    type: 'kill-consumer',
    describe: () => `SIGKILL ${spec.agent} instance #${spec.instance} (no clean leave)`,
    async inject(context: FaultContext): Promise<InjectedFault> {
      const running = context.fleet.instances().filter((i) => i.agent === spec.agent && i.state === 'running');
      const target = running[spec.instance - 1];
      if (!target) {
        throw new AgentdrillError('FAULT_FAILED', `${spec.agent} has ${running.length} running instance(s); cannot kill #${spec.instance}`, {
          hint: `set fleet.agents.${spec.agent}.replicas to at least ${spec.instance}`,
        });
      }
      await context.fleet.killInstance(target.id, 'SIGKILL');
      const { groups, groupAgents }: FleetTopology = context.fleet.topology;
      const logicalGroup = Object.keys(groupAgents).find((g) => groupAgents[g] === spec.agent) ?? spec.agent;
      const group = groups[logicalGroup];
      return {
        detail: { agent: spec.agent, instanceId: target.id, pid: target.pid, group, members: running.length },
        remove: () => Promise.resolve(),
        assess: (ctx: FaultContext) => {
          const figures = rebalanceFigures(ctx.journal.events, logicalGroup);
          // Figures only: a rebalance that was not seen makes the drill's numbers weaker, not the runbook wrong.
          return Promise.resolve({ figures: { killed: target.id, ...(figures ?? {}) }, failures: [] });
        },
      };
    },
  };
}
