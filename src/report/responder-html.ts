import type { ResponderScore } from '../core/events.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';
import { formatSeconds } from '../score/format.ts';
import { responderLines } from './responder-view.ts';

export interface ResponderView {
  lines: string[];
  summary: string | undefined;
  /** The scribe's timeline: every call and note, relative to the fault. */
  calls: { at: string; what: string; outcome: string; bad: boolean; detail: string }[];
}

/** The report's responder section: the score's lines, the declared summary, each call and note. */
export function responderView(score: ResponderScore, events: readonly JournalEvent[], origin: number): ResponderView {
  const at = (ms: number) => `${ms < origin ? '−' : '+'}${formatSeconds(Math.abs(ms - origin))}`;
  // An agent waiting for its page polls; those reads say nothing but "waiting", so they are one row.
  const pagedAt = eventsOfType(events, 'responder.paged')[0]?.at ?? Infinity;
  const calls = eventsOfType(events, 'responder.call');
  const waiting = calls.filter((c) => c.at < pagedAt && c.payload.tier === 'read' && c.payload.outcome === 'ok');
  const rows = [
    ...(waiting.length > 1
      ? [{ t: waiting[0]!.at, at: at(waiting[0]!.at), what: `${waiting.length} read calls before the page`, outcome: 'ok', bad: false, detail: [...new Set(waiting.map((c) => c.payload.tool))].join(', ') }]
      : []),
    ...calls.filter((c) => waiting.length <= 1 || !waiting.includes(c)).map((c) => ({
      t: c.at,
      at: at(c.at),
      what: `${c.payload.tool} ${JSON.stringify(c.payload.args)}`,
      outcome: c.payload.violation ? 'refused: violation' : c.payload.unknownTool ? 'refused: no such tool' : c.payload.outcome,
      bad: c.payload.violation || c.payload.unknownTool === true || c.payload.outcome === 'error',
      detail: c.payload.reason ?? clip(c.payload.result ?? ''),
    })),
    ...eventsOfType(events, 'responder.note').map((n) => ({ t: n.at, at: at(n.at), what: 'note', outcome: '', bad: false, detail: n.payload.text })),
  ].sort((a, b) => a.t - b.t);
  return { lines: responderLines(score), summary: score.summary, calls: rows.map(({ t: _t, ...r }) => r) };
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
