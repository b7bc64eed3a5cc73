import type { ResponderCall } from '../core/events.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';
import { formatSeconds } from '../score/format.ts';
import type { HistoryEntry } from './history.ts';

export interface ScribeRow {
  at: string;
  who: string;
  what: string;
  /** The same moment in the automated run of this scenario, when the history has one. */
  reference: string;
  bad: boolean;
}

export interface ScribeView {
  rows: ScribeRow[];
  /** Which automated run the reference column comes from; undefined when the history has none. */
  reference: string | undefined;
}

/** Reads the responder makes while waiting for its page say only "waiting": not the scribe's. */
const waitingReads = new Set(['read_page', 'read_runbook', 'query_metrics', 'ctl_status']);

/**
 * The scribe's timeline of a response: who did what, when, from the fault to the fleet's real
 * recovery, with the automated (script) run's times beside it when the history holds one.
 */
export function scribeTimeline(events: readonly JournalEvent[], history: readonly HistoryEntry[] = []): ScribeView | undefined {
  const t0 = eventsOfType(events, 'fault.injected')[0]?.at;
  const ready = eventsOfType(events, 'responder.ready')[0];
  if (t0 === undefined || !ready || ready.payload.type === 'script') return undefined;
  const drillId = eventsOfType(events, 'drill.started')[0]?.payload.drillId;
  const reference = [...history].reverse().find((h) => h.responder === 'script' && h.drillId !== drillId && h.timeline);
  const rel = (ms: number | undefined) => (ms === undefined ? '' : `${ms < 0 ? '−' : '+'}${formatSeconds(Math.abs(ms))}`);
  const stepAt = (name: string) => rel(reference?.timeline?.steps.find((s) => s.name === name)?.atMs);
  const rows: (ScribeRow & { t: number })[] = [];
  const row = (t: number, who: string, what: string, ref: string, bad = false) => rows.push({ t, at: rel(t - t0), who, what, reference: ref, bad });
  const page = eventsOfType(events, 'responder.paged')[0];
  row(t0, 'agentdrill', `fault injected: ${eventsOfType(events, 'fault.injected')[0]!.payload.description ?? ''}`.trim(), reference ? rel(0) : '');
  if (page) row(page.at, 'agentdrill', `paged: ${page.payload.alert}`, rel(reference?.timeline?.pagedMs));
  for (const c of eventsOfType(events, 'responder.call')) {
    if (page && c.at < page.at && waitingReads.has(c.payload.tool) && c.payload.outcome === 'ok') continue;
    const step = typeof c.payload.args.name === 'string' ? c.payload.args.name : undefined;
    const refused = c.payload.outcome === 'refused';
    const what = `${describeCall(c.payload)}${refused ? ` — REFUSED${c.payload.violation ? ' (violation)' : ''}: ${c.payload.reason ?? ''}` : ''}`;
    row(c.at, c.payload.by ?? ready.payload.type, what, step ? stepAt(step) : '', refused || c.payload.outcome === 'error');
  }
  const recovered = eventsOfType(events, 'recovered').find((e) => e.payload.windowStartAt >= t0);
  row(recovered?.payload.windowStartAt ?? Number.POSITIVE_INFINITY, 'fleet', recovered ? 'steady state returned (TTR)' : 'steady state never returned', rel(reference?.ttrMs ?? undefined));
  rows.sort((a, b) => a.t - b.t);
  return {
    rows: rows.map(({ t, ...r }) => (Number.isFinite(t) ? r : { ...r, at: '—' })),
    reference: reference && `automated run ${reference.drillId} (${reference.at.slice(0, 19).replace('T', ' ')} UTC): TTD ${rel(reference.ttdMs ?? undefined) || '—'}, TTR ${rel(reference.ttrMs ?? undefined) || '—'}`,
  };
}

function describeCall(c: ResponderCall): string {
  const a = c.args;
  const exit = c.effect?.step?.exitCode;
  switch (c.tool) {
    case 'ack':
      return 'acknowledged the page';
    case 'run_step':
      return `ran step ${String(a.name)}${exit === undefined ? '' : ` (exit ${exit ?? 'none'})`}`;
    case 'mark_done':
      return `marked step ${String(a.name)} done${typeof a.note === 'string' ? `: ${a.note}` : ''}`;
    case 'post_note':
      return `note: ${String(a.text)}`;
    case 'declare_resolved':
      return `declared resolved: ${String(a.summary)}`;
    default:
      if (c.tool.startsWith('ctl_')) return `agentdrill ctl ${c.tool.slice(4).replace(/_/g, '-')} ${Object.values(a).filter((v) => typeof v === 'string' || typeof v === 'number').join(' ')}`.trim();
      return `${c.tool} ${JSON.stringify(a)}`;
  }
}
