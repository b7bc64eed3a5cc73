import { formatDuration } from '../core/duration.ts';
import { AgentdrillError } from '../core/errors.ts';
import type { FleetFaultHooks } from '../fleet/types.ts';
import { startPressure, stopPressure } from './container-pressure.ts';
import type { FaultContext } from './fault.ts';
import { formatMbPerSec } from './memory-rate.ts';
import { pressureBinary } from './pressure/binary.ts';

/** How a memory-growth fault makes one instance grow, and stop growing. */
export interface Leak {
  /** For progress lines and the report: what grows, and how. */
  readonly how: string;
  /** The agent's own code leaks, retaining what it leaked for the fault's `cacheTtl`. */
  readonly retains?: true;
  /**
   * Starts growth in a running instance; answers what the journal should know of it, or
   * undefined when that process already grows (a manual restart reports itself twice).
   */
  arm(instanceId: string): Promise<Record<string, unknown> | undefined>;
  disarm(instanceId: string): Promise<void>;
}

export interface LeakSpec {
  /** The agent whose instances grow. */
  target: string;
  mbPerSec: number;
  /** The reference cache's TTL while it leaks. */
  cacheTtlMs: number;
}

/**
 * The growth a fleet can suffer: agents with a leak in their own code the drill can switch on
 * (the reference agents' cache: a real allocation) leak there; any other agent, whose code the
 * drill cannot change, gets memory pressure in its container's memory cgroup.
 */
export function leakFor(context: FaultContext, spec: LeakSpec): Leak {
  const hooks = context.fleet.faultHooks;
  const own = hooks?.leak && (hooks.leaks?.(spec.target) ?? true) ? hooks.leak : undefined;
  return own ? ownCodeLeak(own, spec) : containerPressureLeak(context, spec);
}

function ownCodeLeak(leak: NonNullable<FleetFaultHooks['leak']>, spec: LeakSpec): Leak {
  return {
    how: `cache leaks ${formatMbPerSec(spec.mbPerSec)} (TTL ${formatDuration(spec.cacheTtlMs)})`,
    retains: true,
    arm: async (id) => {
      await leak(id, spec);
      return {};
    },
    // The leak stops (the fix shipped); what it retained expires with the TTL in force.
    disarm: (id) => leak(id, undefined),
  };
}

function containerPressureLeak(context: FaultContext, spec: LeakSpec): Leak {
  let binary: Promise<string> | undefined;
  // One pressure program per container: two would share the agent's OOM preference and its rate.
  const growing = new Set<string>();
  const instance = (id: string) => {
    const found = context.fleet.instances().find((i) => i.id === id && i.state === 'running');
    if (!found) throw new AgentdrillError('FAULT_FAILED', `${id} is not running`);
    return found;
  };
  return {
    how: `memory grows ${formatMbPerSec(spec.mbPerSec)} in its container`,
    arm: async (id) => {
      const target = instance(id);
      const key = target.container?.id ?? `${id}:${target.pid}`;
      if (growing.has(key)) return undefined;
      growing.add(key);
      binary ??= pressureBinary(context.cacheDir);
      try {
        return await startPressure(target, spec.mbPerSec, await binary);
      } catch (e) {
        growing.delete(key);
        throw e;
      }
    },
    disarm: async (id) => {
      const running = context.fleet.instances().find((i) => i.id === id && i.state === 'running');
      if (running) await stopPressure(running);
    },
  };
}
