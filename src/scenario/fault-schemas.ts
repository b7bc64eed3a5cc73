import { z } from 'zod';
import { duration, strictObject } from './fields.ts';

/**
 * Fault type → schema of its `fault:` block. A new fault adds one entry here (and a factory in
 * src/faults/registry.ts); the scenario schema picks the entry by `type`. Outputs use the names
 * src/faults expects (latencyMs, ...).
 */
const latency = strictObject({
  type: z.literal('latency'),
  /** Dependencies that sit behind Toxiproxy in the reference fleet. */
  target: z.enum(['inventory-api']),
  // 0ms is allowed on purpose: a control drill whose fault changes nothing must end inconclusive.
  latency: duration({ max: 60_000 }),
  jitter: duration({ max: 60_000 }).prefault('0ms'),
  /** Share of connections affected, 0..1. */
  toxicity: z.number().min(0).max(1).default(1),
}).transform(({ type, target, latency, jitter, toxicity }) => ({ type, target, latencyMs: latency, jitterMs: jitter, toxicity }));

export const faultSchemas = { latency } as const;

type FaultSchema = (typeof faultSchemas)[keyof typeof faultSchemas];
export const faultSchema = z.discriminatedUnion('type', Object.values(faultSchemas) as [FaultSchema, ...FaultSchema[]]);
export const faultTypeNames = Object.keys(faultSchemas);

export type FaultInput = z.input<typeof faultSchema>;
export type FaultConfig = z.output<typeof faultSchema>;
