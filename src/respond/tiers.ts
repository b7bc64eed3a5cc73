import { destructiveAction } from '../runbook/lint/destructive.ts';
import { effectiveWords, scanShell } from '../runbook/lint/shell.ts';

/**
 * How much an action may change, lowest first. A responder is allowed up to a tier; destructive
 * actions (lose data, kill members, empty a group) need a person's approval ahead of the call.
 */
export const tiers = ['read', 'act', 'destructive'] as const;
export type Tier = (typeof tiers)[number];

export function tierRank(tier: Tier): number {
  return tiers.indexOf(tier);
}

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (tiers as readonly string[]).includes(value);
}

/** What a runbook step needs to know about itself to be given a tier. */
export interface TierSource {
  phase: string;
  command: string | undefined;
  attributes: Record<string, unknown>;
}

/**
 * A step's tier: its `tier` attribute when the runbook states one. Otherwise what the linter
 * already calls destructive (or a step the author guarded) is destructive; diagnose, detect and
 * verify only look; respond and escalate act. Erring to a higher tier only asks for an approval.
 */
export function stepTier(step: TierSource): Tier {
  if (isTier(step.attributes.tier)) return step.attributes.tier;
  if (typeof step.attributes.guard === 'string' && step.attributes.guard.trim()) return 'destructive';
  if (step.command && commandDestroys(step.command)) return 'destructive';
  return step.phase === 'respond' || step.phase === 'escalate' ? 'act' : 'read';
}

function commandDestroys(command: string): boolean {
  try {
    return scanShell(command).commands.some((c) => destructiveAction(effectiveWords(c.words).map((w) => w.text)) !== undefined);
  } catch {
    // A command the scanner cannot read is treated as able to do anything.
    return true;
  }
}
