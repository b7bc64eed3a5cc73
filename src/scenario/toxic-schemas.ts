import { z } from 'zod';
import { durationCeilings } from '../core/duration.ts';
import { bandwidthRange, formatKbPerSec, parseKbPerSec } from '../faults/bandwidth-rate.ts';
import { toxicStreams } from '../faults/toxic-kinds.ts';
import { logicalName } from '../fleet/definition/fields.ts';
import { duration, strictObject } from '../input/fields.ts';

/**
 * The `fault:` blocks of the faults that are one Toxiproxy toxic on a dependency
 * (src/faults/toxic-kinds.ts). Each shares the target, the stream and the toxicity; outputs use
 * the names src/faults expects (timeoutMs, kbPerSec...).
 */
const shared = {
  /** A dependency behind Toxiproxy: one of the fleet file's `dependencies:` (checked in fault-targets.ts). */
  target: logicalName.optional(),
  /** downstream: the dependency's answers; upstream: the requests sent to it. */
  stream: z.enum(toxicStreams).default('downstream'),
  /** Share of connections affected, 0..1. */
  toxicity: z.number().min(0).max(1).default(1),
};

/**
 * A close or a reset later than the longest drill never happens within it; a hang for the whole
 * drill is written 0ms (timeout) instead. Go's timers would take far more than this.
 */
const withinDrill = () => duration({ max: durationCeilings.drill });

export const latency = strictObject({
  type: z.literal('latency'),
  ...shared,
  // 0ms is allowed on purpose: a control drill whose fault changes nothing must end inconclusive.
  latency: duration({ max: 60_000 }),
  jitter: duration({ max: 60_000 }).prefault('0ms'),
}).transform(({ latency, jitter, ...rest }) => ({ ...rest, latencyMs: latency, jitterMs: jitter }));

/** The dependency stops answering: nothing passes, and each connection is closed after `timeout` (0ms: never). */
export const timeout = strictObject({
  type: z.literal('timeout'),
  ...shared,
  timeout: withinDrill(),
}).transform(({ timeout, ...rest }) => ({ ...rest, timeoutMs: timeout }));

/** The dependency's link is throttled to `rate`. */
export const bandwidth = strictObject({
  type: z.literal('bandwidth'),
  ...shared,
  rate: z.union([z.string(), z.number()], { error: 'expected a bandwidth such as 64KB/s' }).transform((value, ctx) => {
    const parsed = parseKbPerSec(value);
    if (parsed.ok) return parsed.kbPerSec;
    const quoted = JSON.stringify(String(value));
    const range = `${formatKbPerSec(bandwidthRange.minKbPerSec)} to ${formatKbPerSec(bandwidthRange.maxKbPerSec)}`;
    const message = {
      'not-a-rate': `${quoted} is not a bandwidth`,
      fraction: `${quoted} is not a whole number of KB/s (Toxiproxy takes whole KB/s)`,
      'out-of-range': `${quoted} is out of range (allowed: ${range})`,
    }[parsed.reason];
    ctx.addIssue({ code: 'custom', message, params: { hint: `write KB/s (1000 bytes), MB/s or GB/s from ${range}, e.g. 64KB/s or 1.5MB/s` } });
    return z.NEVER;
  }),
}).transform(({ rate, ...rest }) => ({ ...rest, kbPerSec: rate }));

/** Connections are reset (TCP RST) `timeout` after their first data (default: at once). */
export const resetPeer = strictObject({
  type: z.literal('reset-peer'),
  ...shared,
  timeout: withinDrill().prefault('0ms'),
}).transform(({ timeout, ...rest }) => ({ ...rest, timeoutMs: timeout }));

/** A closed connection reaches the other side `delay` late (sockets linger half-open). */
export const slowClose = strictObject({
  type: z.literal('slow-close'),
  ...shared,
  delay: withinDrill(),
}).transform(({ delay, ...rest }) => ({ ...rest, delayMs: delay }));

export const toxicSchemas = { latency, timeout, bandwidth, 'reset-peer': resetPeer, 'slow-close': slowClose } as const;
