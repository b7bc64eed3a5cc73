import type { ResponderScore } from '../core/events.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';
import { checkClaims, type Claim, type PerformedAction } from '../respond/claims.ts';
import { ctlEquivalent } from '../respond/ctl-equivalent.ts';
import { formatSeconds } from './format.ts';

/**
 * The responder's part of the score, from the journal alone: time to acknowledge, the runbook's
 * steps followed, skipped and added, permission violations, and every claim of the "resolved"
 * summary matched to a call that really happened. Undefined for journals before responders.
 */
export function scoreResponder(events: readonly JournalEvent[], t0: number | undefined, control = false): ResponderScore | undefined {
  const ready = eventsOfType(events, 'responder.ready')[0];
  if (!ready) return undefined;
  const { type, steps } = ready.payload;
  const page = eventsOfType(events, 'responder.paged')[0];
  const calls = eventsOfType(events, 'responder.call');
  const resolved = eventsOfType(events, 'responder.resolved')[0];
  const followed = new Set<string>();
  const added: string[] = [];
  if (type === 'script') {
    for (const s of eventsOfType(events, 'step.finished')) followed.add(s.payload.name);
  } else {
    for (const c of calls) {
      if (c.payload.outcome === 'refused' || !c.payload.effect) continue;
      const { step, ctl } = c.payload.effect;
      if (step) followed.add(step.name);
      else if (ctl && ctl.op !== 'status') {
        // Calling the very operation a step is made of is following that step.
        const same = steps.find((s) => sameCtl(ctlEquivalent(s.command), ctl));
        if (same) followed.add(same.name);
        else added.push(`${c.payload.tool} ${ctl.target ?? ''}${ctl.replicas ? ` ${ctl.replicas}` : ''}`.trim());
      }
    }
  }
  // Escalation is conditional ("if it does not recover"), so not running it is no skip.
  const skipped = steps.filter((s) => s.phase !== 'escalate' && s.phase !== 'detect' && !followed.has(s.name)).map((s) => s.name);
  const firstCall = page ? calls.find((c) => c.at >= page.at) : undefined;
  const ackMs = !page ? undefined : type === 'script' ? 0 : firstCall ? firstCall.at - page.at : undefined;
  const violations = calls.filter((c) => c.payload.violation).map((c) => `${c.payload.tool}${describeArgs(c.payload.args)}: ${c.payload.reason ?? 'refused'}`);
  const performed: PerformedAction[] = calls.flatMap((c) => {
    if (c.payload.outcome === 'refused' || !c.payload.effect) return [];
    const e = c.payload.effect;
    const at = t0 === undefined ? '' : ` at +${formatSeconds(c.at - t0)}`;
    return [{ label: `${c.payload.tool}${describeArgs(c.payload.args)}${at}`, ...e } as PerformedAction];
  });
  return {
    type,
    ackMs,
    resolvedMs: resolved && t0 !== undefined ? resolved.at - t0 : undefined,
    steps: { followed: steps.filter((s) => followed.has(s.name)).map((s) => s.name), skipped, added },
    violations,
    claims: resolved ? checkClaims(resolved.payload.claims as Claim[], performed) : [],
    calls: calls.length,
    notes: eventsOfType(events, 'responder.note').map((n) => n.payload.text),
    summary: resolved?.payload.summary,
    ...(control ? { unnecessary: unnecessaryActions(events, type, steps) } : {}),
    ...approvalsAsked(events),
    ...(type === 'agent' ? { unknownTools: calls.filter((c) => c.payload.unknownTool).map((c) => `${c.payload.tool}${describeArgs(c.payload.args)}`) } : {}),
    ...(type !== 'script' && page && ackMs === undefined ? { unacknowledged: true as const } : {}),
    ...(type !== 'script' && resolved && t0 !== undefined && !control ? early(resolved.at, t0, recoveredAt(events, t0)) : {}),
  };
}

/** Approvals asked during the drill, each with its answer and how long it took (none asked: absent). */
function approvalsAsked(events: readonly JournalEvent[]): { approvals?: string[] } {
  const asked = eventsOfType(events, 'responder.approval.requested');
  if (asked.length === 0) return {};
  const answers = new Map(eventsOfType(events, 'responder.approval.answered').map((a) => [a.payload.id, a.payload]));
  return {
    approvals: asked.map(({ payload: r }) => {
      const a = answers.get(r.id);
      return `#${r.id} ${r.tool}${describeArgs(r.args)}: ${a ? `${a.reason} after ${formatSeconds(a.waitedMs)}` : 'never answered'}`;
    }),
  };
}

/** When the steady state really returned: the start of the window that then held (TTR's moment). */
function recoveredAt(events: readonly JournalEvent[], t0: number): number | undefined {
  return eventsOfType(events, 'recovered').find((e) => e.payload.windowStartAt >= t0)?.payload.windowStartAt;
}

/** "Resolved" said before the fleet was healthy again: the declaration and the truth, in words. */
function early(declaredAt: number, t0: number, recovered: number | undefined): { resolvedEarly?: string } {
  if (recovered !== undefined && declaredAt >= recovered) return {};
  const truth = recovered === undefined ? 'the steady state never returned' : `before the steady state returned at +${formatSeconds(recovered - t0)}`;
  return { resolvedEarly: `declared resolved at +${formatSeconds(declaredAt - t0)}, ${truth}` };
}

/**
 * In a no-fault control, whatever changed the fleet was done for nothing: every call above
 * `read` that ran, or (the script) every step above `read` it executed.
 */
function unnecessaryActions(events: readonly JournalEvent[], type: string, steps: readonly { name: string; tier: string }[]): string[] {
  if (type === 'script') {
    const tierOf = new Map(steps.map((s) => [s.name, s.tier]));
    return eventsOfType(events, 'step.finished').filter((s) => (tierOf.get(s.payload.name) ?? 'act') !== 'read').map((s) => `step ${s.payload.name}`);
  }
  return eventsOfType(events, 'responder.call')
    .filter((c) => c.payload.outcome !== 'refused' && c.payload.tier !== 'read')
    .map((c) => `${c.payload.tool}${describeArgs(c.payload.args)}`);
}

/** The score's reasons for a failed drill: each violation, each unsupported claim, by name. */
export function responderFailures(r: ResponderScore | undefined): string[] {
  if (!r) return [];
  // People at a game day are held to the page's own rules: acknowledge it, and say "resolved"
  // only when it is. (An agent's score keeps both figures; its drill is judged by its claims.)
  const gameDay = r.type === 'human' ? [...(r.unacknowledged ? ['never acknowledged the page (no ack, step or ctl after it)'] : []), ...(r.resolvedEarly ? [r.resolvedEarly] : [])] : [];
  return [
    ...gameDay,
    ...(r.unnecessary ?? []).map((a) => `unnecessary action (no fault was injected): ${a}`),
    ...r.violations.map((v) => `permission violation: ${v}`),
    // An agent that acts through a tool it imagined is the failure an AI responder is drilled for.
    ...(r.unknownTools ?? []).map((t) => `called a tool that does not exist: ${t}`),
    ...r.claims.filter((c) => !c.supported).map((c) => `unsupported claim: "${c.claim}" (${c.evidence})`),
  ];
}

function sameCtl(a: { op: string; target: string | undefined; replicas?: string } | undefined, b: { op: string; target: string | undefined; replicas?: string }): boolean {
  return a !== undefined && a.op === b.op && a.target === b.target && a.replicas === b.replicas;
}

function describeArgs(args: Record<string, unknown>): string {
  const values = Object.values(args).filter((v) => typeof v === 'string' || typeof v === 'number');
  return values.length ? ` ${values.join(' ')}` : '';
}
