import { eventsOfType, type JournalEvent } from '../core/journal.ts';
import type { Sample } from '../observe/sample.ts';

const MiB = 1024 * 1024;

/** The agent's memory in one sample: its largest instance that is up (as `rss(agent=X)` reads it). */
export function agentRssMb(sample: Sample, agent: string): number | undefined {
  let max: number | undefined;
  for (const a of Object.values(sample.agents)) {
    if (a.agent === agent && a.up && (max === undefined || a.rssBytes > max)) max = a.rssBytes;
  }
  return max === undefined ? undefined : max / MiB;
}

const round = (mb: number) => Math.round(mb * 10) / 10;

/** Peak memory of the agent in samples from `from` on (the injection), in MB with one decimal. */
export function peakRssMb(events: readonly JournalEvent[], agent: string, from: number): number | null {
  let peak: number | undefined;
  for (const e of eventsOfType(events, 'sample')) {
    if (e.at < from) continue;
    const mb = agentRssMb(e.payload, agent);
    if (mb !== undefined && (peak === undefined || mb > peak)) peak = mb;
  }
  return peak === undefined ? null : round(peak);
}

/**
 * The agent's memory when the fleet was healthy again: the sample at the start of the
 * recovery window (the moment time-to-recover counts to), or null without a recovery.
 */
export function rssAtRecoveryMb(events: readonly JournalEvent[], agent: string, from: number): number | null {
  const recovered = eventsOfType(events, 'recovered').find((e) => e.payload.windowStartAt >= from);
  if (!recovered) return null;
  const sample = eventsOfType(events, 'sample').find((e) => e.at >= recovered.payload.windowStartAt);
  const mb = sample ? agentRssMb(sample.payload, agent) : undefined;
  return mb === undefined ? null : round(mb);
}
