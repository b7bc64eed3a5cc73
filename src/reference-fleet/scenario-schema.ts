import { z } from 'zod';
import { strictObject } from '../input/fields.ts';

const agent = strictObject({
  replicas: z.number().int().min(1).max(32).default(1),
  /** In-flight inventory API calls per instance. */
  concurrency: z.number().int().min(1).max(1024).optional(),
  /** V8 old-space limit in MB. */
  heapMb: z.number().int().min(16).max(65_536).optional(),
}).prefault({});

/** The shipped order pipeline, sized per drill. */
export const referenceFleet = strictObject({
  partitions: z.number().int().min(1).max(256).default(6),
  agents: strictObject({ inventory: agent, decision: agent, fulfillment: agent, sink: agent }).prefault({}),
}).transform((f) => ({ kind: 'reference' as const, ...f }));
