import { eventsOfType, type JournalEvent } from '../../core/journal.ts';
import type { AgentSample } from '../../observe/sample.ts';
import type { Point, Series } from './series.ts';

const bytesPerMb = 1_000_000;

/**
 * RSS in MB per agent instance, coloured by its logical agent so `inventory-2` reads as part of
 * the inventory group. A sample where the instance is down ends the line there: bridging the gap
 * would draw memory nobody measured across exactly the crash an SRE is looking for.
 */
export function memorySeries(events: readonly JournalEvent[], origin: number): Series[] {
  const open = new Map<string, Series>();
  const out: Series[] = [];
  for (const s of eventsOfType(events, 'sample')) {
    for (const [id, a] of Object.entries(s.payload.agents) as [string, AgentSample][]) {
      if (!a.up || !Number.isFinite(a.rssBytes) || a.rssBytes <= 0) {
        open.delete(id);
        continue;
      }
      let series = open.get(id);
      if (!series) {
        series = { name: id, colourKey: a.agent, points: [] };
        open.set(id, series);
        out.push(series);
      }
      series.points.push({ x: s.at - origin, y: a.rssBytes / bytesPerMb } satisfies Point);
    }
  }
  return out;
}
