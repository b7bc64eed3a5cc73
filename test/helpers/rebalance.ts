import { expect } from 'vitest';
import { eventsOfType, type JournalFile } from '../../src/core/journal.ts';

/**
 * What every kill-consumer drill must show, whatever runs the agents: after the fault the broker
 * saw the group leave Stable and come back, and the fault's own assessment found a rebalance.
 * Returns the assessment's figures for the caller's own checks.
 */
export function expectRebalanceObserved(events: JournalFile['events'], group: string): Record<string, unknown> {
  const t0 = eventsOfType(events, 'fault.injected')[0]!.at;
  const states = eventsOfType(events, 'group.state').filter((e) => e.payload.group === group && e.at > t0);
  const left = states.find((e) => e.payload.to !== 'Stable');
  expect(left).toBeDefined();
  expect(states.some((e) => e.at > left!.at && e.payload.to === 'Stable')).toBe(true);
  const { figures, failures } = eventsOfType(events, 'fault.assessed')[0]!.payload;
  expect(failures).toEqual([]);
  expect(figures.rebalanceObserved).toBe(true);
  return figures;
}
