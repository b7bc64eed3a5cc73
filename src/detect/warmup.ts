import type { WarmupGroup } from '../core/events.ts';
import type { Sample } from '../observe/sample.ts';

/**
 * Warm-up: from "every agent started" to "the fleet is really working". A group is ready when the
 * broker reports all its expected members (and a Stable state, where the state is sampled) and its
 * lag has come down to `caughtUpLag` at least once since the start: the backlog built while
 * containers or JVMs were still starting has been worked off. On an idle machine that takes a
 * second or two; on a loaded runner tens of seconds, which must not be charged to the baseline.
 */
export class WarmupTracker {
  private readonly caughtUp = new Set<string>();

  constructor(private readonly caughtUpLag: number) {}

  /** `expected`: group → members it should have now (its running instances). */
  feed(sample: Sample, expected: Record<string, number>): { ready: boolean; groups: Record<string, WarmupGroup> } {
    const groups: Record<string, WarmupGroup> = {};
    let ready = true;
    for (const [group, expectedMembers] of Object.entries(expected)) {
      const g = sample.groups[group];
      if (g !== undefined && g.lag <= this.caughtUpLag) this.caughtUp.add(group);
      const members = g?.members;
      const allMembers = members !== undefined && members >= expectedMembers;
      const stable = g?.state === undefined || g.state === 'Stable';
      const groupReady = g !== undefined && allMembers && stable && this.caughtUp.has(group);
      ready &&= groupReady;
      groups[group] = {
        members: members ?? null,
        expectedMembers,
        state: g?.state ?? null,
        lag: g?.lag ?? null,
        caughtUp: this.caughtUp.has(group),
        ready: groupReady,
      };
    }
    return { ready, groups };
  }
}

/** Why warm-up is not done, one phrase per group that is not ready. */
export function describeWarmupGroups(groups: Record<string, WarmupGroup>): string[] {
  return Object.entries(groups)
    .filter(([, g]) => !g.ready)
    .map(([name, g]) => {
      const parts = [`${g.members ?? 0} of ${g.expectedMembers} members`];
      if (g.state !== null && g.state !== 'Stable') parts.push(`state ${g.state}`);
      if (!g.caughtUp) parts.push(`never caught up (lag ${g.lag ?? 'unknown'})`);
      return `group ${name}: ${parts.join(', ')}`;
    });
}
