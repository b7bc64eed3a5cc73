import type { Journal } from '../../core/journal.ts';
import type { Sample } from '../../observe/sample.ts';

/** A sample as an agent reads it: rounded figures, memory in MB, how old it is. */
export function describeSample(sample: Sample, ageSeconds: number) {
  return {
    ageSeconds: Math.round(ageSeconds * 10) / 10,
    groups: Object.fromEntries(
      Object.entries(sample.groups).map(([name, g]) => [name, { lag: g.lag, throughputPerSec: Math.round(g.throughput * 10) / 10, state: g.state ?? null, members: g.members ?? null }]),
    ),
    instances: Object.fromEntries(Object.entries(sample.agents).map(([id, a]) => [id, { agent: a.agent, up: a.up, rssMB: Math.round(a.rssBytes / 1e5) / 10 }])),
  };
}

/**
 * The journal's samples over the window, thinned to one a second: an agent's context is
 * precious, and a 250 ms grid says nothing more about a trend than a 1 s one.
 */
export function metricsWindow(journal: Journal, now: number, windowMs: number) {
  const points: { secondsAgo: number; groups: Record<string, { lag: number; throughputPerSec: number }>; up: Record<string, number> }[] = [];
  let last = -Infinity;
  for (const e of journal.ofType('sample')) {
    if (e.at < now - windowMs || e.at - last < 1000) continue;
    last = e.at;
    const up: Record<string, number> = {};
    for (const a of Object.values(e.payload.agents)) if (a.up) up[a.agent] = (up[a.agent] ?? 0) + 1;
    points.push({
      secondsAgo: Math.round((now - e.at) / 100) / 10,
      groups: Object.fromEntries(Object.entries(e.payload.groups).map(([name, g]) => [name, { lag: g.lag, throughputPerSec: Math.round(g.throughput * 10) / 10 }])),
      up,
    });
  }
  return points;
}
