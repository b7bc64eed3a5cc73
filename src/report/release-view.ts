import type { EventPayloads } from '../core/events.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';

/**
 * The release a drill ran, as every output carries it (JSON result, JUnit, history, trend,
 * report): agent → version (null: unknown), and the `--set` flags as written. Read from
 * drill.started alone, so a re-rendered report of an old journal says the same.
 */
export interface ReleaseRecord {
  versions: Record<string, string | null>;
  overrides: { path: string; value: string }[];
}

/** Undefined for journals written before the release gate. */
export function releaseOf(started: EventPayloads['drill.started'] | undefined): ReleaseRecord | undefined {
  const fleet = started?.fleet;
  if (!fleet?.versions) return undefined;
  return {
    versions: Object.fromEntries(Object.entries(fleet.versions).map(([agent, v]) => [agent, v.version])),
    overrides: (fleet.overrides ?? []).map((o) => ({ path: o.path, value: o.value })),
  };
}

export function releaseFromJournal(events: readonly JournalEvent[]): ReleaseRecord | undefined {
  return releaseOf(eventsOfType(events, 'drill.started')[0]?.payload);
}

/** `scorer 1.5.0, ledger dev`: one line, in the fleet file's order, for tables and CI logs. */
export function versionsText(versions: Record<string, string | null> | undefined): string {
  if (!versions || Object.keys(versions).length === 0) return '—';
  return Object.entries(versions)
    .map(([agent, version]) => `${agent} ${version ?? 'unknown'}`)
    .join(', ');
}

/** `agents.scorer.image=acme/scorer:1.5.0`, as it was typed. */
export function overrideText(o: { path: string; value: string }): string {
  return `${o.path}=${o.value}`;
}
