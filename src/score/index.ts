import type { Score } from '../core/events.ts';
import type { JournalEvent } from '../core/journal.ts';
import { extractFacts } from './facts.ts';
import { detectLowerBound, prometheusLowerBound } from './lower-bound.ts';
import { timeToRecover } from './ttr.ts';
import { timeToDetect } from './ttd.ts';
import { decideVerdict } from './verdict.ts';
import { scoreResponder } from './responder.ts';

export { formatSeconds } from './format.ts';
export { detectLowerBound, prometheusLowerBound, ruleForWindowMs } from './lower-bound.ts';
export { describeBreakdown, detectionBreakdown, type DetectionBreakdown } from './detection-breakdown.ts';
export { timeToDetect } from './ttd.ts';
export { timeToRecover } from './ttr.ts';

/**
 * Scores a drill from its journal alone, so any past journal.json can be re-scored offline and
 * gets the same answer the live drill did.
 */
export function scoreDrill(events: readonly JournalEvent[]): Score {
  const facts = extractFacts(events);
  const t0 = facts.t0;
  const ttdMs = t0 === undefined ? undefined : timeToDetect(events, t0);
  const ttrMs = t0 === undefined ? undefined : timeToRecover(events, t0);
  const responder = scoreResponder(events, t0, facts.control);
  const { verdict, reasons, missed } = decideVerdict(facts, { ttdMs, ttrMs }, responder);
  return {
    verdict,
    reasons,
    ttdMs,
    ttrMs,
    targets: facts.started?.targets ?? { detectMs: 0, recoverMs: 0 },
    missed,
    integrity: facts.integrity,
    ...(facts.assessment ? { faultFigures: facts.assessment.figures } : {}),
    detectLowerBoundMs:
      facts.started === undefined
        ? undefined
        : facts.started.detection
          ? prometheusLowerBound(facts.started.detection)
          : detectLowerBound(facts.started.alertRule, facts.started.sampleIntervalMs),
    ...(responder ? { responder } : {}),
  };
}
