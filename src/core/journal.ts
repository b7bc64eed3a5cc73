import type { Clock } from './clock.ts';
import type { EventPayloads, EventType } from './events.ts';

/**
 * The single record of one drill. Scoring and every report read only this, so a past drill can
 * be re-scored or re-rendered from its JSON file alone.
 */
export interface JournalEvent<T extends string = string, P = unknown> {
  type: T;
  at: number;
  payload: P;
}

export type JournalListener = (event: JournalEvent) => void;

export class Journal {
  readonly events: JournalEvent[] = [];
  private readonly listeners = new Set<JournalListener>();
  private listenerFailures = 0;

  constructor(private readonly clock: Clock) {}

  record<T extends EventType>(type: T, payload: EventPayloads[T], at: number = this.clock.now()): JournalEvent<T, EventPayloads[T]> {
    const event = { type, at, payload };
    this.events.push(event);
    for (const listener of this.listeners) {
      // A broken progress printer or report hook must never take the drill down with it.
      try {
        listener(event);
      } catch {
        this.listenerFailures++;
      }
    }
    return event;
  }

  subscribe(listener: JournalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  ofType<T extends EventType>(type: T): JournalEvent<T, EventPayloads[T]>[] {
    return eventsOfType(this.events, type);
  }

  get droppedListenerErrors(): number {
    return this.listenerFailures;
  }
}

/** Typed filter over any list of journal events (a live journal or one read back from disk). */
export function eventsOfType<T extends EventType>(
  events: readonly JournalEvent[],
  type: T,
): JournalEvent<T, EventPayloads[T]>[] {
  return events.filter((e) => e.type === type) as JournalEvent<T, EventPayloads[T]>[];
}

/** The journal as written to disk: `journal.json`. */
export interface JournalFile {
  format: 'agentdrill-journal/1';
  events: JournalEvent[];
}
