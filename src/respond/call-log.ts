import type { Clock } from '../core/clock.ts';
import type { ResponderEffect } from '../core/events.ts';
import type { Journal } from '../core/journal.ts';
import { decide, effectiveTier, type Decision, type ResponderPolicy } from './policy.ts';
import type { Tier } from './tiers.ts';
import type { ApprovalDesk } from './approvals.ts';

/** What a tool did: the answer for the agent, and what it changed, for the claims check. */
export interface ToolOutcome {
  result: unknown;
  effect?: ResponderEffect;
  /** The call ran but did not succeed (a step that exited non-zero is still `ok`: it ran). */
  failed?: boolean;
}

/** What the agent is answered: JSON text, flagged as an error when refused or failed. */
export interface ToolReply {
  text: string;
  isError: boolean;
}

/** The journal keeps each answer up to this size; the agent gets all of it. */
const journaledResultChars = 8000;

/**
 * Every tool call goes through here: decided against the permissions, run when allowed, and
 * journaled either way with its arguments and answer. Refusals are answered, not thrown, so the
 * agent reads why.
 */
export class CallLog {
  constructor(
    private readonly journal: Journal,
    private readonly clock: Clock,
    private readonly policy: ResponderPolicy,
    private readonly paged: () => boolean,
    /** Where a destructive call waits for a person during the drill (the scenario's `approvalWait`). */
    private readonly approvals?: ApprovalDesk,
  ) {}

  /** `by`: who made the call, when people share the response (a game day); an agent's calls have none. */
  async call(tool: string, args: Record<string, unknown>, tier: { name: string; tier: Tier }, run: () => Promise<ToolOutcome>, by?: string): Promise<ToolReply> {
    const startedAt = this.clock.now();
    const callTier = effectiveTier(this.policy, tier.name, tier.tier);
    const decision = await this.decideOrAsk({ tool, args, ...(by === undefined ? {} : { by }) }, { name: tier.name, tier: callTier });
    const approvedBy = decision.allowed ? decision.approvedBy : undefined;
    const base = { tool, args, tier: callTier, startedAt, ...(by === undefined ? {} : { by }), ...(approvedBy === undefined ? {} : { approvedBy }) };
    if (!decision.allowed) {
      const text = JSON.stringify({ refused: true, violation: decision.violation, reason: decision.reason });
      this.journal.record('responder.call', { ...base, outcome: 'refused', violation: decision.violation, reason: decision.reason, result: text, endedAt: this.clock.now() });
      return { text, isError: true };
    }
    try {
      const outcome = await run();
      const text = JSON.stringify(outcome.result);
      this.journal.record('responder.call', {
        ...base,
        outcome: outcome.failed ? 'error' : 'ok',
        violation: false,
        result: cut(text),
        endedAt: this.clock.now(),
        ...(outcome.effect ? { effect: outcome.effect } : {}),
      });
      return { text, isError: outcome.failed === true };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const hint = typeof (e as { hint?: unknown }).hint === 'string' ? (e as { hint: string }).hint : undefined;
      const text = JSON.stringify({ error: reason, ...(hint ? { hint } : {}) });
      this.journal.record('responder.call', { ...base, outcome: 'error', violation: false, reason, result: cut(text), endedAt: this.clock.now() });
      return { text, isError: true };
    }
  }

  /** The policy's decision; one it leaves to a person waits at the approval desk, and a no (or no answer) refuses without a violation. */
  private async decideOrAsk(call: { tool: string; args: Record<string, unknown>; by?: string }, permission: { name: string; tier: Tier }): Promise<Exclude<Decision, { allowed: 'ask' }> & { approvedBy?: string }> {
    const decided = decide(this.policy, { ...permission, paged: this.paged() });
    if (decided.allowed !== 'ask') return decided;
    const answer = this.approvals ? await this.approvals.ask(call) : { approved: false, reason: 'no approval desk in this drill' };
    return answer.approved ? { allowed: true, approved: true, ...(answer.by === undefined ? {} : { approvedBy: answer.by }) } : { allowed: false, violation: false, reason: answer.reason };
  }
}

/**
 * Calls the MCP server answered before any tool ran: a tool the drill does not serve (the agent
 * invented it) or arguments that do not fit the tool. Journaled like every other call, so the
 * score and the report see what the agent tried, not only what worked.
 */
export function recordUnserved(journal: Journal, clock: Clock, call: { tool: string; args: Record<string, unknown> }, problem: { unknownTool: true; known: readonly string[] } | { invalid: string }): void {
  const at = clock.now();
  const reason = 'unknownTool' in problem ? `no tool "${call.tool}" in this drill (its tools: ${problem.known.join(', ')})` : `invalid arguments: ${problem.invalid}`;
  journal.record('responder.call', {
    tool: call.tool,
    args: call.args,
    // Never decided against the permissions, never run: no tier, and refused by the server itself.
    tier: 'none',
    outcome: 'refused',
    violation: false,
    ...('unknownTool' in problem ? { unknownTool: true as const } : {}),
    reason,
    result: cut(JSON.stringify({ error: reason })),
    startedAt: at,
    endedAt: at,
  });
}

function cut(text: string): string {
  return text.length <= journaledResultChars ? text : `${text.slice(0, journaledResultChars)}…(${text.length - journaledResultChars} more characters)`;
}
