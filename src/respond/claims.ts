import { z } from 'zod';
import type { CtlAction } from './ctl-equivalent.ts';

/**
 * What a responder says it did, in a form that can be checked: one object per action. The free
 * text of the summary is kept for people; only these are matched against the journal.
 */
export const claimActions = ['step', 'scale', 'restart', 'stop', 'kill'] as const;

export const claimSchema = z
  .strictObject({
    action: z.enum(claimActions),
    /** The step's name for `step`; the agent (or instance) for the others. */
    target: z.string().min(1).max(200),
    /** `scale` only: the replicas it ended with (3), or the change as asked (+2). */
    replicas: z.union([z.number().int().min(0).max(1000), z.string().regex(/^[+-]?\d{1,4}$/)]).optional(),
  })
  .refine((c) => c.replicas === undefined || c.action === 'scale', { error: 'replicas belongs to a scale claim only', path: ['replicas'] });

export type Claim = z.output<typeof claimSchema>;

/** A call that really happened, as the journal has it: the evidence claims are matched to. */
export interface PerformedAction {
  /** Who did it, for the report: "run_step scale-out at +12.3s". */
  label: string;
  /** `run_step`: the step's name and its exit code. */
  step?: { name: string; exitCode: number | null };
  /** A ctl operation, done directly or by a step that is exactly one `agentdrill ctl` call. */
  ctl?: CtlAction;
  /** Instances each agent had right after the call. */
  instancesAfter?: Record<string, number>;
  /** Instance ids a stop / kill / restart acted on. */
  acted?: string[];
}

export interface ClaimCheck {
  claim: string;
  supported: boolean;
  /** The supporting call, or why none does. */
  evidence: string;
}

export function describeClaim(c: Claim): string {
  if (c.action === 'step') return `ran step ${c.target}`;
  if (c.action === 'scale') return `scaled ${c.target}${c.replicas === undefined ? '' : typeof c.replicas === 'number' ? ` to ${c.replicas}` : ` ${c.replicas}`}`;
  return `${c.action} ${c.target}`;
}

/** Each claim matched to a call that happened; a claim no call supports is unsupported. */
export function checkClaims(claims: readonly Claim[], performed: readonly PerformedAction[]): ClaimCheck[] {
  return claims.map((claim) => {
    const match = performed.find((p) => supports(p, claim));
    if (match) return { claim: describeClaim(claim), supported: true, evidence: match.label };
    // A step that ran and failed did not do what the claim says.
    const failed = claim.action === 'step' ? performed.find((p) => p.step?.name === claim.target) : undefined;
    const evidence = failed ? `${failed.label} failed (exit ${failed.step!.exitCode ?? 'none'})` : 'no call in the journal did this';
    return { claim: describeClaim(claim), supported: false, evidence };
  });
}

function supports(p: PerformedAction, claim: Claim): boolean {
  if (claim.action === 'step') return p.step?.name === claim.target && p.step.exitCode === 0;
  // A step's ctl operation counts only when the step succeeded.
  if (!p.ctl || (p.step && p.step.exitCode !== 0) || p.ctl.op !== claim.action) return false;
  if (claim.action === 'scale') {
    if (p.ctl.target !== claim.target) return false;
    if (claim.replicas === undefined) return true;
    if (typeof claim.replicas === 'string') return p.ctl.replicas === claim.replicas;
    return p.instancesAfter?.[claim.target] === claim.replicas || p.ctl.replicas === String(claim.replicas);
  }
  return p.ctl.target === claim.target || (p.acted ?? []).includes(claim.target);
}
