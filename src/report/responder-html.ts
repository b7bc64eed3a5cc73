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
  const rows = [
    ...eventsOfType(events, 'responder.call').map((c) => ({
      t: c.at,
      at: at(c.at),
      what: `${c.payload.tool} ${JSON.stringify(c.payload.args)}`,
      outcome: c.payload.violation ? 'refused: violation' : c.payload.outcome,
      bad: c.payload.violation || c.payload.outcome === 'error',
      detail: c.payload.reason ?? clip(c.payload.result ?? ''),
    })),
    ...eventsOfType(events, 'responder.note').map((n) => ({ t: n.at, at: at(n.at), what: 'note', outcome: '', bad: false, detail: n.payload.text })),
  ].sort((a, b) => a.t - b.t);
  return { lines: responderLines(score), summary: score.summary, calls: rows.map(({ t: _t, ...r }) => r) };
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
