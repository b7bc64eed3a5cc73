import type { Clock } from '../core/clock.ts';
import type { IntegrityReport, StartedFleet } from '../fleet/types.ts';
import type { Progress } from '../infra/provider.ts';
import type { Sampler } from '../observe/sampler.ts';

/**
 * Stops the load, lets every group catch up, then counts at the sink. Lost and duplicated
 * events only mean something once nothing is in flight any more.
 */
export async function drainAndCount(args: {
  fleet: StartedFleet;
  sampler: Sampler;
  clock: Clock;
  drainMs: number;
  signal: AbortSignal;
  progress: Progress;
}): Promise<IntegrityReport> {
  const { fleet, sampler, clock } = args;
  const produced = await fleet.stopLoad();
  args.progress(`drain: load stopped after ${produced} events; waiting for every group to catch up`);
  const deadline = clock.now() + args.drainMs;
  let drainedSamples = 0;
  let lastAt = -1;
  while (clock.now() < deadline && !args.signal.aborted) {
    const latest = sampler.latest();
    if (latest && latest.at !== lastAt) {
      lastAt = latest.at;
      const lagging = Object.values(latest.sample.groups).some((g) => g.lag > 0);
      drainedSamples = lagging ? 0 : drainedSamples + 1;
      // Two clean samples in a row: the committed offsets caught up and stayed there.
      if (drainedSamples >= 2) break;
    }
    await clock.sleep(100, args.signal);
  }
  return fleet.integrity(produced);
}
