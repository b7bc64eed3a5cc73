/**
 * Consumer lag in seconds, estimated as kafka-lag-exporter does: from a table of when the log end
 * offset reached which value, the time the group's committed offset was the log end is
 * interpolated, and the lag is now minus that time. Offsets alone say how much is waiting; this
 * says for how long, which is what a latency SLO alerts on.
 */
export class LagClock {
  /** Per partition key: (time, log end offset) in time order, bounded. */
  private readonly history = new Map<string, { at: number; high: number }[]>();

  constructor(private readonly maxPoints = 2400) {}

  /** Records a partition's log end offset at `at`; only changes are kept. */
  observe(key: string, at: number, high: number): void {
    let points = this.history.get(key);
    if (!points) this.history.set(key, (points = []));
    const last = points.at(-1);
    if (last && last.high === high) return;
    points.push({ at, high });
    // Bounded: a long drill keeps the last maxPoints changes; older lag reads as at least that old.
    if (points.length > this.maxPoints) points.splice(0, points.length - this.maxPoints);
  }

  /** Seconds since the log end was at `committed` (0 when caught up, or nothing recorded yet). */
  lagSeconds(key: string, committed: number, now: number): number {
    const points = this.history.get(key);
    if (!points || points.length === 0) return 0;
    if (committed >= points.at(-1)!.high) return 0;
    // The first point past the committed offset: the message at `committed` was written between
    // the point before it and this one.
    const i = points.findIndex((p) => p.high > committed);
    const after = points[i]!;
    const before = points[i - 1];
    const writtenAt =
      before === undefined ? after.at : before.at + ((committed - before.high) / (after.high - before.high)) * (after.at - before.at);
    return Math.max(0, (now - writtenAt) / 1000);
  }
}
