import type { Score } from '../core/events.ts';
import type { Verdict } from '../core/exit-codes.ts';
import type { DrillFacts } from './facts.ts';
import { describeBaselineFailure, describeWarmupFailure } from './describe-inconclusive.ts';
import { describeBreakdown } from './detection-breakdown.ts';
import { formatSeconds } from './format.ts';
import { responderFailures } from './responder.ts';

export interface Measured {
  ttdMs: number | undefined;
  ttrMs: number | undefined;
}

type Missed = Score['missed'][number];

export interface VerdictResult {
  verdict: Verdict;
  reasons: string[];
  missed: Missed[];
}

/** The verdict rules, in precedence order: error, then inconclusive, then failed, else passed. */
export function decideVerdict(facts: DrillFacts, measured: Measured, responder?: Score['responder']): VerdictResult {
  const errorReasons = harnessErrors(facts);
  if (errorReasons.length > 0) return { verdict: 'error', reasons: errorReasons, missed: [] };

  const inconclusive: string[] = [];
  if (facts.warmup && !facts.warmup.ok) inconclusive.push(describeWarmupFailure(facts.warmup));
  else if (!facts.baselineHealthy) inconclusive.push(baselineReason(facts));
  // Without a healthy baseline the fault never ran: saying it "never moved the fleet" would mislead.
  else if (!facts.steadyBroke && !facts.control) inconclusive.push('the fault never moved the fleet off its steady state');
  if (inconclusive.length > 0) return { verdict: 'inconclusive', reasons: inconclusive, missed: [] };

  const targets = facts.started!.targets;
  const reasons: string[] = [];
  const missed: Missed[] = [];
  const miss = (what: Missed, reason: string) => {
    missed.push(what);
    reasons.push(`${what}: ${reason}`);
  };
  const { ttdMs, ttrMs } = measured;
  // With the team's Prometheus rule, a missed detection says where the time went.
  const where = facts.detection ? `; ${describeBreakdown(facts.detection)}` : '';
  // A control injects nothing: no detection or recovery to time. A healthy fleet is its target.
  if (facts.control) {
    if (facts.steadyBroke) miss('recover', 'the fleet left its steady state in a no-fault control: something done during the drill broke it');
  } else if (ttdMs === undefined) miss('detect', `not detected within ${formatSeconds(targets.detectMs)} target${where}`);
  else if (ttdMs > targets.detectMs) miss('detect', `${formatSeconds(ttdMs)} > ${formatSeconds(targets.detectMs)} target${where}`);
  if (facts.control) {
    // judged above
  } else if (ttrMs === undefined) miss('recover', `not recovered within ${formatSeconds(targets.recoverMs)} target`);
  else if (ttrMs > targets.recoverMs) miss('recover', `${formatSeconds(ttrMs)} > ${formatSeconds(targets.recoverMs)} target`);
  // No integrity report means nobody checked for loss, which must not pass as "nothing lost".
  if (facts.integrity === undefined) miss('integrity', 'no integrity report');
  else if (facts.integrity.lost !== null && facts.integrity.lost > 0) miss('integrity', `${facts.integrity.lost} events lost`);
  // Fault-specific checks (blast radius, rebuilt state, ...) fail the drill like a missed target.
  for (const failure of facts.assessment?.failures ?? []) miss('fault', failure);
  // A responder that acted outside its permissions, or claims what it did not do, fails the drill.
  for (const failure of responderFailures(responder)) miss('responder', failure);
  if (missed.length > 0) return { verdict: 'failed', reasons, missed };
  // Everything else held, but whether events were lost is unknown: that is not a pass.
  const i = facts.integrity;
  if (i?.lost === null) {
    const seen = i.outputs === undefined ? '' : `, ${i.outputs} outputs seen`;
    return { verdict: 'inconclusive', reasons: [`integrity not judged: ${i.why ?? 'no output was matched to its input'} (${i.produced} produced${seen})`], missed: [] };
  }
  return { verdict: 'passed', reasons, missed };
}

function baselineReason(facts: DrillFacts): string {
  const head = 'baseline never healthy: the steady state did not hold before the fault';
  const f = facts.baselineUnhealthy;
  if (!f) return head;
  return `${head} (${formatSeconds(f.windowMs)} window within ${formatSeconds(f.baselineMs)}): ${describeBaselineFailure(f)}`;
}

function harnessErrors(facts: DrillFacts): string[] {
  const reasons = facts.errors.map((e) => `error: ${e.code}: ${e.message}`);
  if (facts.started === undefined) reasons.push('error: the journal has no drill.started event');
  // A drill stops before injecting when its baseline never got healthy: that is inconclusive, not an error.
  if (facts.t0 === undefined && facts.baselineHealthy) reasons.push('error: no fault was injected');
  return reasons;
}
