import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.ts';
import { eventsOfType, Journal } from '../../src/core/journal.ts';
import { parseRule } from '../../src/detect/parse-rule.ts';
import { ruleDetection } from '../../src/drill/detection.ts';
import { DrillMonitor } from '../../src/drill/monitor.ts';
import type { Sample } from '../../src/observe/sample.ts';

const rule = (text: string) => {
  const r = parseRule(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.rule;
};
const sample = (lag: number): Sample => ({ groups: { inventory: { lag, throughput: 50, committed: 0, members: 1 } }, agents: {}, counters: {} });
const clock: Clock = { now: () => 0, sleep: () => Promise.resolve() };

/** Feeds one sample every 250 ms from `from` for `ms`; returns where it stopped. */
function feed(monitor: DrillMonitor, from: number, ms: number, lag: number): number {
  let at = from;
  for (; at < from + ms; at += 250) monitor.onSample(at, sample(lag));
  return at;
}

describe('DrillMonitor windows', () => {
  it('holds the baseline for its own window and recovery for the longer one', () => {
    const journal = new Journal(clock);
    const detection = ruleDetection(rule('lag(group=inventory) > 500 for 1s'), [rule('lag(group=inventory) < 100')]);
    const monitor = new DrillMonitor(journal, 'lag(group=inventory) > 500 for 1s', detection, { baselineMs: 2000, recoveryMs: 6000 });
    monitor.startBaseline();
    let at = feed(monitor, 0, 2000, 10);
    expect(monitor.baselineHealthy.settled).toBe(false);
    at = feed(monitor, at, 250, 10);
    expect(monitor.baselineHealthy.settled).toBe(true);

    monitor.markInjected(at);
    at = feed(monitor, at, 3000, 900);
    expect(monitor.alertFired.settled).toBe(true);
    const healthyFrom = at;
    // Healthy again for 2 s, the baseline's window: not recovered, the recovery window is 6 s.
    at = feed(monitor, at, 2250, 10);
    expect(monitor.recovered.settled).toBe(false);
    at = feed(monitor, at, 4000, 10);
    expect(monitor.recovered.settled).toBe(true);
    const recovered = eventsOfType(journal.events, 'recovered')[0]!;
    expect(recovered.payload.confirmedAt - healthyFrom).toBe(6000);
  });
});
