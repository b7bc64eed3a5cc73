import { z } from 'zod';
import { duration, shapeOf, strictObject } from '../input/fields.ts';
import { responderTypes } from './types.ts';
import { tiers } from './tiers.ts';

const name = z.string().min(1).max(200);

const responderObject = strictObject({
  /** Who responds once paged; `--responder` wins over it. */
  type: z.enum(responderTypes, { error: `must be one of: ${responderTypes.join(', ')}` }).default('script'),
  /** The highest tier the responder may use without an approval. */
  allow: z.enum(tiers, { error: `must be one of: ${tiers.join(', ')}` }).default('act'),
  /** Destructive runbook steps or tools approved ahead of the drill, by name. */
  approve: z.array(name).max(100).default([]),
  /** Step or tool name → tier, overriding the runbook's `tier` attribute. */
  tiers: z.record(name, z.enum(tiers, { error: `must be one of: ${tiers.join(', ')}` })).default({}),
  /** A destructive call not approved ahead waits this long for `agentdrill ctl approve`; unset: refused at once. */
  approvalWait: duration({ min: 1000, max: 30 * 60_000 }).optional(),
});

/**
 * The scenario's `responder:`: a type (`responder: agent`) or the type with its permissions
 * (`responder: { type: agent, approve: [delete-state] }`).
 */
const typeOnly = z
  .enum(responderTypes, { error: `must be one of: ${responderTypes.join(', ')}, or an object with type, allow, approve, tiers, approvalWait` })
  .transform((type) => responderObject.parse({ type }));

export type ResponderConfig = z.output<typeof responderObject>;

export const responderSchema = shapeOf<ResponderConfig>((value) => (typeof value === 'string' ? typeOnly : responderObject), [typeOnly, responderObject]);

