import { tierRank, type Tier } from './tiers.ts';

/**
 * What a responder may do in this drill, as the scenario declares it: every action up to
 * `allow`, plus the destructive steps or tools a person approved ahead (`approve`), or, with
 * `approvalWaitMs`, one a person approves during the drill (src/respond/approvals.ts).
 */
export interface ResponderPolicy {
  allow: Exclude<Tier, 'destructive'> | 'destructive';
  /** Step or tool names approved ahead of the drill. */
  approve: readonly string[];
  /** Step or tool name → tier, overriding the runbook's attribute or the default. */
  tiers: Readonly<Record<string, Tier>>;
  /** A destructive call not approved ahead waits this long for a person's answer; unset: refused at once. */
  approvalWaitMs?: number;
}

export const defaultPolicy: ResponderPolicy = { allow: 'act', approve: [], tiers: {} };

export type Decision =
  | { allowed: true; approved?: true }
  | { allowed: 'ask' }
  | { allowed: false; violation: boolean; reason: string };

/**
 * Whether one call may run. A call before the page that would change anything is refused but
 * is not a violation: nothing asked the responder to act yet, and nothing was done. A call
 * above what the drill allows, unless approved, is refused and is a violation.
 */
export function decide(policy: ResponderPolicy, call: { name: string; tier: Tier; paged: boolean }): Decision {
  if (!call.paged && call.tier !== 'read') {
    return { allowed: false, violation: false, reason: 'no page yet: nothing is known to be wrong, so nothing may be changed (read_page shows when the alert fires)' };
  }
  if (tierRank(call.tier) <= tierRank(policy.allow)) return { allowed: true };
  if (call.tier === 'destructive' && policy.approve.includes(call.name)) return { allowed: true, approved: true };
  if (call.tier === 'destructive' && policy.approvalWaitMs !== undefined) return { allowed: 'ask' };
  const needs = call.tier === 'destructive' ? ' and it has no approval (scenario responder.approve, or responder.approvalWait to ask a person during the drill)' : '';
  return { allowed: false, violation: true, reason: `"${call.name}" is ${call.tier}; this drill allows the responder up to ${policy.allow}${needs}` };
}

/** The tier a call runs at: the scenario's override for its name wins. */
export function effectiveTier(policy: ResponderPolicy, name: string, tier: Tier): Tier {
  return policy.tiers[name] ?? tier;
}
