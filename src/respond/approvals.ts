import type { Clock } from '../core/clock.ts';
import { AgentdrillError } from '../core/errors.ts';
import type { Journal } from '../core/journal.ts';
import type { Progress } from '../infra/provider.ts';
import { formatSeconds } from '../score/format.ts';

/** A destructive call waiting for a person, as `agentdrill ctl approvals` lists it. */
export interface PendingApproval {
  id: number;
  tool: string;
  args: Record<string, unknown>;
  /** Who asked: an agent's calls have none; a person's call at a game day has their name. */
  by?: string;
  requestedAt: number;
}

export interface ApprovalAnswer {
  approved: boolean;
  /** The person who answered; none when nobody did in time or the drill ended. */
  by?: string;
  reason: string;
}

/**
 * The drill's approval desk: a destructive call that was not approved ahead waits here for a
 * person to say yes or no during the drill (`agentdrill ctl approve|deny <id>` from any terminal),
 * for at most the scenario's `approvalWait`. Nobody answering is a no; asking is never a
 * violation, because asking is exactly what the permissions want of a responder.
 */
export class ApprovalDesk {
  private nextId = 1;
  private readonly pending = new Map<number, { request: PendingApproval; settle: (a: ApprovalAnswer) => void }>();
  private readonly closed = new AbortController();

  constructor(
    private readonly journal: Journal,
    private readonly clock: Clock,
    private readonly progress: Progress,
    readonly waitMs: number,
  ) {}

  async ask(call: { tool: string; args: Record<string, unknown>; by?: string }): Promise<ApprovalAnswer> {
    if (this.closed.signal.aborted) return { approved: false, reason: 'the drill is over' };
    const request: PendingApproval = { id: this.nextId++, ...call, requestedAt: this.clock.now() };
    this.journal.record('responder.approval.requested', { id: request.id, tool: call.tool, args: call.args, waitMs: this.waitMs, ...(call.by ? { by: call.by } : {}) }, request.requestedAt);
    this.progress(`APPROVAL NEEDED #${request.id}: ${call.by ?? 'the responder'} asks to run ${call.tool} ${JSON.stringify(call.args)} (destructive) — agentdrill ctl approve ${request.id}  or  agentdrill ctl deny ${request.id}; refused in ${formatSeconds(this.waitMs)} otherwise`);
    const timeout = new AbortController();
    const answered = new Promise<ApprovalAnswer>((resolve) => this.pending.set(request.id, { request, settle: resolve }));
    const waited = this.clock.sleep(this.waitMs, AbortSignal.any([timeout.signal, this.closed.signal])).then(() => undefined);
    const answer = (await Promise.race([answered, waited])) ?? {
      approved: false,
      reason: this.closed.signal.aborted ? 'the drill is over' : `nobody approved it within ${formatSeconds(this.waitMs)}`,
    };
    timeout.abort();
    this.pending.delete(request.id);
    this.journal.record('responder.approval.answered', { id: request.id, approved: answer.approved, reason: answer.reason, ...(answer.by ? { by: answer.by } : {}), waitedMs: this.clock.now() - request.requestedAt });
    this.progress(`approval #${request.id} (${request.tool}): ${answer.reason}`);
    return answer;
  }

  /** A person's answer; an id that is not waiting (answered, timed out, never asked) is a usage error. */
  answer(id: number, approved: boolean, by: string | undefined, note?: string): PendingApproval {
    const entry = this.pending.get(id);
    if (!entry) {
      const waiting = [...this.pending.keys()];
      throw new AgentdrillError('USAGE', `no approval #${id} is waiting`, { hint: waiting.length ? `waiting: ${waiting.map((w) => `#${w}`).join(', ')}` : 'nothing waits for an approval now (agentdrill ctl approvals lists them)' });
    }
    // Taken off the desk at once: a second answer to the same call finds nothing waiting.
    this.pending.delete(id);
    const who = by ?? 'someone';
    entry.settle({ approved, by: who, reason: `${approved ? 'approved' : 'denied'} by ${who}${note ? `: ${note}` : ''}` });
    return entry.request;
  }

  list(): PendingApproval[] {
    return [...this.pending.values()].map((p) => p.request);
  }

  /** The drill is over: whatever still waits is answered no. */
  close(): void {
    this.closed.abort();
  }
}
