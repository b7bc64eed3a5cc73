import { formatExactDuration } from '../core/duration.ts';
import { formatKbPerSec } from './bandwidth-rate.ts';

/**
 * The faults that are one Toxiproxy toxic on a dependency's proxy. Each kind says only what is
 * its own: Toxiproxy's toxic type, its attributes, and its effect in words; toxic-fault.ts does
 * the rest once for all of them.
 */
export type ToxicStream = 'downstream' | 'upstream';
export const toxicStreams = ['downstream', 'upstream'] as const satisfies readonly ToxicStream[];

interface ToxicBase {
  /** A dependency with a proxy: one of the fleet file's `dependencies:`. */
  target: string;
  /** downstream: the dependency's answers to the agent; upstream: the agent's requests. */
  stream: ToxicStream;
  /** Share of connections the toxic applies to, 0..1 (Toxiproxy draws once per connection). */
  toxicity: number;
}

export interface LatencyFaultSpec extends ToxicBase {
  type: 'latency';
  latencyMs: number;
  jitterMs: number;
}

/** Nothing passes; each connection is closed after `timeoutMs`, or held open while 0. */
export interface TimeoutFaultSpec extends ToxicBase {
  type: 'timeout';
  timeoutMs: number;
}

export interface BandwidthFaultSpec extends ToxicBase {
  type: 'bandwidth';
  /** Decimal KB per second, as Toxiproxy counts it. */
  kbPerSec: number;
}

/** The connection is reset (TCP RST) `timeoutMs` after its first data in the stream. */
export interface ResetPeerFaultSpec extends ToxicBase {
  type: 'reset-peer';
  timeoutMs: number;
}

/** The close of the stream reaches the other side `delayMs` late. */
export interface SlowCloseFaultSpec extends ToxicBase {
  type: 'slow-close';
  delayMs: number;
}

export type ToxicFaultSpec = LatencyFaultSpec | TimeoutFaultSpec | BandwidthFaultSpec | ResetPeerFaultSpec | SlowCloseFaultSpec;
export type ToxicFaultType = ToxicFaultSpec['type'];

/** Toxiproxy's names for the toxics used here. */
type ToxiproxyToxic = 'latency' | 'timeout' | 'bandwidth' | 'reset_peer' | 'slow_close';

interface ToxicKind<S extends ToxicFaultSpec> {
  toxic: ToxiproxyToxic;
  /** Toxiproxy's attributes for the toxic: whole milliseconds and KB/s. */
  attributes(spec: S): Record<string, number>;
  /** What happens to the traffic, for progress lines, plans and reports. */
  effect(spec: S): string;
}

const ms = formatExactDuration;

export const toxicKinds: { [K in ToxicFaultType]: ToxicKind<Extract<ToxicFaultSpec, { type: K }>> } = {
  latency: {
    toxic: 'latency',
    attributes: (s) => ({ latency: s.latencyMs, jitter: s.jitterMs }),
    effect: (s) => `latency ${s.latencyMs}ms ±${s.jitterMs}ms`,
  },
  timeout: {
    toxic: 'timeout',
    attributes: (s) => ({ timeout: s.timeoutMs }),
    effect: (s) => (s.timeoutMs === 0 ? 'timeout: nothing passes, connections hang until the fault is removed' : `timeout: nothing passes, each connection closed after ${ms(s.timeoutMs)}`),
  },
  bandwidth: {
    toxic: 'bandwidth',
    attributes: (s) => ({ rate: s.kbPerSec }),
    effect: (s) => `bandwidth limited to ${formatKbPerSec(s.kbPerSec)}`,
  },
  'reset-peer': {
    toxic: 'reset_peer',
    attributes: (s) => ({ timeout: s.timeoutMs }),
    effect: (s) => `connections reset (TCP RST) ${s.timeoutMs === 0 ? 'at their first data' : `${ms(s.timeoutMs)} after their first data`}`,
  },
  'slow-close': {
    toxic: 'slow_close',
    attributes: (s) => ({ delay: s.delayMs }),
    effect: (s) => `closes delayed by ${ms(s.delayMs)}`,
  },
};

/** One spec's toxic, attributes and effect (the table's key guarantees the spec fits its kind). */
export function toxicOf(spec: ToxicFaultSpec): { toxic: ToxiproxyToxic; attributes: Record<string, number>; effect: string } {
  const kind = toxicKinds[spec.type] as ToxicKind<ToxicFaultSpec>;
  return { toxic: kind.toxic, attributes: kind.attributes(spec), effect: kind.effect(spec) };
}

export const toxicFaultTypes = Object.keys(toxicKinds) as ToxicFaultType[];

export function isToxicFault<S extends { type: string }>(spec: S): spec is Extract<S, { type: ToxicFaultType }> {
  return (toxicFaultTypes as readonly string[]).includes(spec.type);
}
