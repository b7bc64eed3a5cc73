import { z } from 'zod';
import { corruptionModes } from '../faults/corruption-modes.ts';
import { parseMbPerSec } from '../faults/memory-rate.ts';
import { endingSignals } from '../fleet/ending-signals.ts';
import { logicalName } from '../fleet/definition/fields.ts';
import { duration, strictObject } from '../input/fields.ts';
import { toxicSchemas } from './toxic-schemas.ts';

/**
 * Fault type → schema of its `fault:` block. A new fault adds one entry here (and a factory in
 * src/faults/registry.ts); the scenario schema picks the entry by `type`. Outputs use the names
 * src/faults expects (latencyMs, ...). The toxics on a dependency are in toxic-schemas.ts.
 */
/** State corruption: one instance's declared state goes bad while it is down. */
const corruptState = strictObject({
  type: z.literal('corrupt-state'),
  /** An agent that keeps state (checked in fault-targets.ts against the fleet file's `state:`). */
  agent: logicalName.optional(),
  /** truncate / garbage: an agent that checks its file refuses it (crash loop); plausible: loads silently, wrong values. */
  mode: z.enum(corruptionModes).default('plausible'),
  /** Which running instance, 1-based in start order. */
  instance: z.number().int().min(1).max(32).default(1),
});

/** Partition rebalancing: one consumer of a group dies without leaving it. */
const killConsumer = strictObject({
  type: z.literal('kill-consumer'),
  /** An agent of the fleet file that consumes in a group (checked in fault-targets.ts). */
  agent: logicalName.optional(),
  /** Which running instance, 1-based in start order, or `random` (the journal records which). */
  instance: z.union([z.number().int().min(1).max(32), z.literal('random')], { error: 'expected an instance number from 1 to 32, or random' }).default(1),
  /** Only signals that end a process by default; what each means for the group is in src/faults/kill-consumer.ts. */
  signal: z.enum(endingSignals).default('SIGKILL'),
});

/** Resource exhaustion: an agent's memory grows to its limit (src/faults/memory-growth.ts). */
const memoryGrowth = strictObject({
  type: z.literal('memory-growth'),
  /** The agent whose memory grows: one with a leak switch or an image (checked in fault-targets.ts). */
  target: logicalName.optional(),
  /** proactive: the runbook must act before the heap limit; reactive: the drill expects the OOM. */
  variant: z.enum(['proactive', 'reactive']),
  rate: z.union([z.string(), z.number()], { error: 'expected a leak rate such as 4MB/s' }).transform((value, ctx) => {
    const mb = parseMbPerSec(value);
    if (mb === undefined || mb > 256) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a leak rate`, params: { hint: 'write MB per second up to 256, e.g. 4MB/s or 512KB/s' } });
      return z.NEVER;
    }
    return mb;
  }),
  /** The cache TTL the leaking build runs with: long enough that the leak accumulates. */
  cacheTtl: duration({ min: 1000, max: 24 * 3_600_000 }).prefault('10m'),
}).transform(({ type, target, variant, rate, cacheTtl }) => ({ type, target, variant, mbPerSec: rate, cacheTtlMs: cacheTtl }));

/** The no-fault control: nothing goes wrong; the responder is paged anyway, or never. */
const none = strictObject({
  type: z.literal('none'),
  page: z.enum(['anyway', 'never']).default('anyway'),
});

export const faultSchemas = { ...toxicSchemas, 'corrupt-state': corruptState, 'kill-consumer': killConsumer, 'memory-growth': memoryGrowth, none } as const;

type FaultSchema = (typeof faultSchemas)[keyof typeof faultSchemas];
export const faultSchema = z.discriminatedUnion('type', Object.values(faultSchemas) as [FaultSchema, ...FaultSchema[]]);
export const faultTypeNames = Object.keys(faultSchemas);

export type FaultInput = z.input<typeof faultSchema>;
export type FaultConfig = z.output<typeof faultSchema>;
