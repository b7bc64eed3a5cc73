import type { EventPayloads } from '../core/events.ts';
import type { ResponderContext } from './responder.ts';
import type { ResponderType } from './types.ts';

/** `responder.ready`: the steps with their tiers and the permissions, so the score needs nothing else. */
export function readyPayload(type: ResponderType, context: ResponderContext, url?: string): EventPayloads['responder.ready'] {
  return {
    type,
    ...(url ? { url } : {}),
    steps: context.steps.map((s) => ({ name: s.name, phase: s.phase, tier: s.tier, ...(s.command === undefined ? {} : { command: s.command }) })),
    policy: { allow: context.policy.allow, approve: [...context.policy.approve], tiers: { ...context.policy.tiers }, ...(context.policy.approvalWaitMs === undefined ? {} : { approvalWaitMs: context.policy.approvalWaitMs }) },
  };
}
