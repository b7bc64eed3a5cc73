import { AgentdrillError } from '../core/errors.ts';
import type { Fault, FaultContext, InjectedFault } from './fault.ts';

export interface LatencyFaultSpec {
  type: 'latency';
  target: string;
  latencyMs: number;
  jitterMs: number;
  toxicity: number;
}

const toxicName = 'agentdrill-latency';

/** Downstream backlog: the external API slows down behind Toxiproxy; the fleet is untouched. */
export function latencyFault(spec: LatencyFaultSpec): Fault {
  return {
    type: 'latency',
    describe: () => `latency ${spec.latencyMs}ms ±${spec.jitterMs}ms on ${spec.target}`,
    async inject(context: FaultContext): Promise<InjectedFault> {
      const proxyName = context.proxies[spec.target];
      if (!proxyName) {
        throw new AgentdrillError('FAULT_FAILED', `no proxy for fault target "${spec.target}"`, {
          hint: `targets with a proxy: ${Object.keys(context.proxies).join(', ') || '(none)'}`,
        });
      }
      const proxy = await context.toxiproxy.get(proxyName);
      // Downstream: the response is delayed, as when the API itself is slow to answer.
      const toxic = await proxy.addToxic({
        name: toxicName,
        type: 'latency',
        stream: 'downstream',
        toxicity: spec.toxicity,
        attributes: { latency: spec.latencyMs, jitter: spec.jitterMs },
      });
      let removed = false;
      return {
        detail: { target: spec.target, proxy: proxyName, latencyMs: spec.latencyMs, jitterMs: spec.jitterMs },
        async remove() {
          if (removed) return;
          removed = true;
          await toxic.remove();
        },
      };
    },
  };
}
