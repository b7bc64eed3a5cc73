import type { Score } from '../core/events.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';
import { describeBreakdown, detectionBreakdown, scoreDrill } from '../score/index.ts';
import { memorySeries } from './chart/memory.ts';
import { groupSeries } from './chart/series.ts';
import { renderTimeline } from './chart/timeline.ts';
import { environmentView, type EnvironmentView } from './environment-view.ts';
import { eventRows, type EventRow } from './event-rows.ts';
import { secondsOrDash } from './format.ts';
import type { HistoryEntry } from './history.ts';
import { timelineMarkers } from './markers.ts';
import { stepRows, type StepRow } from './steps-view.ts';
import { responderView, type ResponderView } from './responder-html.ts';
import type { Svg } from './svg.ts';
import { buildTrendView, type TrendView } from './trend-view.ts';
import { scribeTimeline, type ScribeView } from './scribe-timeline.ts';

export interface Figure {
  label: string;
  value: string;
  target: string;
  /** met | missed | unmeasured: drives the colour. */
  state: 'met' | 'missed' | 'unmeasured';
  note: string | undefined;
}

export interface ReportView {
  verdict: Score['verdict'];
  scenarioName: string;
  scenarioDescription: string | undefined;
  failureMode: string | undefined;
  startedAt: string | undefined;
  figures: Figure[];
  reasons: string[];
  chart: Svg | undefined;
  steps: StepRow[];
  /** Who responded and how it scored; undefined for journals before responders. */
  responder: ResponderView | undefined;
  integrity: { label: string; value: string; bad: boolean }[] | undefined;
  /** What the fault itself measured after the drain (blast radius, OOM, rebalance pause...). */
  faultFigures: { name: string; value: string }[] | undefined;
  environment: EnvironmentView | undefined;
  events: EventRow[];
  /** Present when the caller passed a history (even an empty one). */
  trend: TrendView | undefined;
  /** A non-script response: who did what, when, beside the automated run's times. */
  scribe: ScribeView | undefined;
}

export interface ReportOptions {
  /** Past drills (history.jsonl); entries of other scenarios are ignored. */
  history?: readonly HistoryEntry[];
}

/**
 * Everything the template shows, computed here so the template stays logic-free. The score is
 * the one the drill recorded when there is one (that is what its exit code reflected); older or
 * interrupted journals are scored afresh.
 */
export function buildReportView(events: readonly JournalEvent[], options: ReportOptions = {}): ReportView {
  const score = eventsOfType(events, 'score').at(-1)?.payload ?? scoreDrill(events);
  const started = eventsOfType(events, 'drill.started')[0];
  const t0 = eventsOfType(events, 'fault.injected')[0]?.at;
  const origin = t0 ?? started?.at ?? events[0]?.at ?? 0;
  const series = groupSeries(events, origin);
  const markers = timelineMarkers(events, origin);
  const recovery = markers.find((m) => m.kind === 'recovered');
  const scenario = started?.payload.scenario as { name: string; description?: unknown } | undefined;
  return {
    verdict: score.verdict,
    scenarioName: scenario?.name ?? 'unknown scenario',
    // Not in the event catalogue yet; shown when a newer drill.started carries it.
    scenarioDescription: typeof scenario?.description === 'string' ? scenario.description : undefined,
    failureMode: started?.payload.runbook.failureMode,
    startedAt: started ? new Date(started.at).toISOString() : undefined,
    figures: figures(score, events),
    reasons: score.reasons,
    chart:
      series.extent || markers.length > 0
        ? renderTimeline({ series, memory: memorySeries(events, origin), markers, impact: t0 === undefined ? undefined : [0, recovery?.x ?? series.extent?.[1] ?? 0] })
        : undefined,
    steps: stepRows(events, origin),
    responder: score.responder ? responderView(score.responder, events, origin) : undefined,
    integrity: score.integrity && [
      { label: 'produced', value: exact(score.integrity.produced), bad: false },
      { label: 'processed', value: orUnknown(score.integrity.processed), bad: false },
      { label: 'lost', value: orUnknown(score.integrity.lost), bad: score.integrity.lost === null || score.integrity.lost > 0 },
      { label: 'duplicated', value: orUnknown(score.integrity.duplicated), bad: false },
      { label: 'invalid', value: exact(score.integrity.invalid), bad: score.integrity.invalid > 0 },
    ],
    faultFigures: score.faultFigures && Object.entries(score.faultFigures).map(([name, value]) => ({ name, value: value === null ? '—' : String(value) })),
    environment: started ? environmentView(started.payload) : undefined,
    events: eventRows(events, origin),
    trend: options.history === undefined ? undefined : buildTrendView(options.history, events),
    scribe: scribeTimeline(events, options.history),
  };
}

function figures(score: Score, events: readonly JournalEvent[]): Figure[] {
  const figure = (label: string, ms: number | undefined, targetMs: number, note?: string): Figure => ({
    label,
    value: secondsOrDash(ms),
    target: secondsOrDash(targetMs),
    state: ms === undefined ? 'unmeasured' : ms <= targetMs ? 'met' : 'missed',
    note,
  });
  const bound = score.detectLowerBoundMs;
  // Paged by a Prometheus rule: where detection's time went, stage by stage, instead of the bound's wording.
  const t0 = eventsOfType(events, 'fault.injected')[0]?.at;
  const breakdown = t0 === undefined ? undefined : detectionBreakdown(events, t0);
  const note = breakdown
    ? `injection → page: ${describeBreakdown(breakdown)}; cannot be faster than ${secondsOrDash(bound)} (for: + group_wait)`
    : bound === undefined
      ? undefined
      : `detection cannot be faster than ${secondsOrDash(bound)} (sample interval + rule window)`;
  return [
    figure('Time to detect', score.ttdMs, score.targets.detectMs, note),
    figure('Time to recover', score.ttrMs, score.targets.recoverMs),
  ];
}

// Integrity figures are audited, not skimmed: 12,000 rather than 12k.
function exact(n: number): string {
  return n.toLocaleString('en-US');
}

/** Unknown loss is shown as unknown, never as 0. */
function orUnknown(n: number | null): string {
  return n === null ? 'unknown' : exact(n);
}
