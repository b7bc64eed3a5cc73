import type { ResponderScore, Score } from '../core/events.ts';
import type { Verdict } from '../core/exit-codes.ts';
import type { ReleaseRecord } from './release-view.ts';
import type { ReportPaths } from './summary.ts';

/**
 * The `--json` result: a stable, flat shape for scripts. Unmeasured values are null rather than
 * absent so `jq .ttdMs` never has to guess whether the field exists.
 */
export interface JsonResult {
  scenario: string;
  verdict: Verdict;
  ttdMs: number | null;
  ttrMs: number | null;
  targets: { detectMs: number; recoverMs: number };
  /** `lost: null` when loss could not be judged (`why` says so). */
  integrity: { produced: number; processed: number | null; lost: number | null; duplicated: number | null; why?: string; cautions?: string[] } | null;
  reasons: string[];
  /** Fault-specific figures (blast radius, OOM, rebalance pause...); null when the fault has none. */
  faultFigures: Record<string, number | string | boolean | null> | null;
  /** The fleet file's agents → the release drilled (null: unknown); null for a journal from before the release gate. */
  versions: Record<string, string | null> | null;
  /** `--set` as written, in order; empty when none. */
  overrides: { path: string; value: string }[];
  /** Who responded and how it scored (acknowledge, steps, violations, claims); null in journals before responders. */
  responder: (Omit<ResponderScore, 'ackMs' | 'resolvedMs' | 'summary'> & { ackMs: number | null; resolvedMs: number | null; summary: string | null }) | null;
  journal: string | null;
  report: string | null;
}

export function toJsonResult(scenario: string, score: Score, paths: ReportPaths, release?: ReleaseRecord): JsonResult {
  const i = score.integrity;
  return {
    scenario,
    verdict: score.verdict,
    ttdMs: score.ttdMs ?? null,
    ttrMs: score.ttrMs ?? null,
    targets: { detectMs: score.targets.detectMs, recoverMs: score.targets.recoverMs },
    integrity: i ? { produced: i.produced, processed: i.processed, lost: i.lost, duplicated: i.duplicated, ...(i.why ? { why: i.why } : {}), ...(i.cautions?.length ? { cautions: i.cautions } : {}) } : null,
    reasons: [...score.reasons],
    faultFigures: score.faultFigures ?? null,
    versions: release ? { ...release.versions } : null,
    overrides: release ? release.overrides.map((o) => ({ ...o })) : [],
    responder: score.responder ? { ...score.responder, ackMs: score.responder.ackMs ?? null, resolvedMs: score.responder.resolvedMs ?? null, summary: score.responder.summary ?? null } : null,
    journal: paths.journal ?? null,
    report: paths.report ?? null,
  };
}
