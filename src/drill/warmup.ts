import type { Clock } from '../core/clock.ts';
import type { Journal } from '../core/journal.ts';
import { describeWarmupGroups } from '../detect/warmup.ts';
import type { StartedFleet } from '../fleet/types.ts';
import { describeLoad, machineLoad, readCpuTimes } from '../observe/machine-load.ts';
import type { DrillMonitor } from './monitor.ts';
import type { DrillPlan } from './plan.ts';
import { within } from './within.ts';

/**
 * Waits until every consumer group has all its members and has caught up once, up to the plan's
 * warm-up limit, and journals how long that took. The baseline window starts only after it: on
 * a loaded runner containers take tens of seconds to join, and that is the machine's speed, not
 * the fleet's steady state. False (journaled, the drill ends inconclusive) when the limit passes.
 */
export async function warmUp(o: {
  plan: DrillPlan;
  monitor: DrillMonitor;
  fleet: StartedFleet;
  journal: Journal;
  clock: Clock;
  signal: AbortSignal;
  progress: (message: string) => void;
}): Promise<boolean> {
  const { plan, monitor, fleet, clock } = o;
  const cpu = readCpuTimes();
  const startedAt = clock.now();
  monitor.startWarmup({
    expectedMembers: () => expectedMembers(fleet),
    // Caught up: at most one second of load waiting, and never less than a handful of events.
    caughtUpLag: Math.max(10, Math.ceil(plan.fleet.ratePerSec)),
  });
  const warmedAt = await within(monitor.warmedUp.promise, plan.warmupMs, clock, o.signal);
  if (o.signal.aborted) return false;
  const ok = warmedAt !== undefined;
  // A sample taken just before warm-up began may be the one that completes it: never negative.
  const durationMs = Math.max(0, (warmedAt ?? clock.now()) - startedAt);
  const load = machineLoad(cpu);
  o.journal.record('warmup.finished', { ok, durationMs, limitMs: plan.warmupMs, groups: monitor.warmupGroups, load });
  if (ok) o.progress(`warm-up: every group joined and caught up in ${(durationMs / 1000).toFixed(1)} s`);
  else o.progress(`warm-up: not done within ${plan.warmupMs / 1000} s: ${describeWarmupGroups(monitor.warmupGroups).join('; ')} (${describeLoad(load)})`);
  return ok;
}

/** Each consumer group should have one member per running instance of the agent that consumes it. */
function expectedMembers(fleet: StartedFleet): Record<string, number> {
  const expected: Record<string, number> = {};
  const instances = fleet.instances();
  for (const [group, agent] of Object.entries(fleet.topology.groupAgents)) {
    expected[group] = instances.filter((i) => i.agent === agent && i.state !== 'stopped').length;
  }
  return expected;
}
