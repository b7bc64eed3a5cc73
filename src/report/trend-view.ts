import type { JournalEvent } from '../core/journal.ts';
import { renderTrend } from './chart/trend.ts';
import { secondsOrDash } from './format.ts';
import { historyEntryFromJournal, sortByTime, type HistoryEntry } from './history.ts';
import { overrideText, versionsText } from './release-view.ts';
import type { Svg } from './svg.ts';

export interface TrendRow {
  drillId: string;
  date: string;
  verdict: string;
  ttd: string;
  ttr: string;
  /** The agents' versions that drill ran (`scorer 1.5.0, ledger dev`), so release N+1 reads next to N. */
  versions: string;
  /** Its `--set` flags, as written; empty when none. */
  overrides: string;
  /** Who responded in that drill, so responders compare on the same scenario ('' for old lines). */
  responder: string;
  current: boolean;
}

export interface TrendView {
  /** Undefined below two drills: one point is not a trend. */
  chart: Svg | undefined;
  rows: TrendRow[];
}

/**
 * This scenario's drills from the history, plus this drill when the history does not have it yet
 * (the report may be rendered before the drill's own line is appended). Entries of other
 * scenarios are ignored, so callers may pass a whole history file.
 */
export function buildTrendView(history: readonly HistoryEntry[], events: readonly JournalEvent[]): TrendView {
  const current = historyEntryFromJournal(events);
  const scenario = current?.scenario;
  const byDrill = new Map<string, HistoryEntry>();
  for (const h of history) if (scenario === undefined || h.scenario === scenario) byDrill.set(h.drillId, h);
  if (current && !byDrill.has(current.drillId)) byDrill.set(current.drillId, current);
  const entries = sortByTime([...byDrill.values()]);
  const rows = entries
    .map((e) => ({
      drillId: e.drillId,
      date: e.at.replace('T', ' ').slice(0, 16),
      verdict: e.verdict,
      ttd: `${secondsOrDash(e.ttdMs ?? undefined)} / ${secondsOrDash(e.targets.detectMs)}`,
      ttr: `${secondsOrDash(e.ttrMs ?? undefined)} / ${secondsOrDash(e.targets.recoverMs)}`,
      versions: versionsText(e.versions),
      overrides: (e.overrides ?? []).map(overrideText).join(' '),
      responder: e.responder ?? '',
      current: e.drillId === current?.drillId,
    }))
    // Newest first in the table: the question is usually "how did the last few go".
    .reverse();
  return { chart: entries.length >= 2 ? renderTrend(entries, current?.drillId) : undefined, rows };
}
