import { AgentdrillError } from '../core/errors.ts';
import type { Fault, FaultContext, InjectedFault } from './fault.ts';
import { toxicOf, type ToxicFaultSpec } from './toxic-kinds.ts';

/**
 * A dependency goes bad behind its Toxiproxy proxy (slow, silent, throttled, resetting, slow to
 * close); the fleet itself is untouched. One toxic, added at injection and removed after.
 */
export function toxicFault(spec: ToxicFaultSpec): Fault {
  const kind = toxicOf(spec);
  return {
    type: spec.type,
    describe: () => `${kind.effect} on ${spec.target} ${scope(spec)}`,
    async inject(context: FaultContext): Promise<InjectedFault> {
      const proxyName = context.proxies[spec.target];
      if (!proxyName) {
        throw new AgentdrillError('FAULT_FAILED', `no proxy for fault target "${spec.target}"`, {
          hint: `targets with a proxy: ${Object.keys(context.proxies).join(', ') || '(none)'}`,
        });
      }
      const proxy = await context.toxiproxy.get(proxyName);
      const toxic = await proxy.addToxic({
        name: `agentdrill-${spec.type}`,
        type: kind.toxic,
        stream: spec.stream,
        toxicity: spec.toxicity,
        attributes: kind.attributes,
      });
      let removed = false;
      const { type: _type, target, ...figures } = spec;
      return {
        // The toxic as Toxiproxy holds it, so the journal shows what was in force, not what was asked.
        detail: { target, proxy: proxyName, ...figures, toxic: { name: toxic.name, type: toxic.type, stream: toxic.stream, toxicity: toxic.toxicity, attributes: toxic.attributes } },
        async remove() {
          if (removed) return;
          removed = true;
          await toxic.remove();
        },
      };
    },
  };
}

/** Which way and how much of the traffic, in the words a runbook reader uses. */
function scope(spec: ToxicFaultSpec): string {
  const way = spec.stream === 'downstream' ? 'its answers' : 'requests to it';
  return spec.toxicity >= 1 ? `(${way})` : `(${way}, ${Math.round(spec.toxicity * 1000) / 10}% of connections)`;
}
