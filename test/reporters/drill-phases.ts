import { existsSync, readFileSync } from 'node:fs';
import type { DrillPhases } from '../helpers/drill-phases.ts';

const order = ['provision', 'fleet', 'warmup', 'baseline', 'inject', 'respond', 'recover', 'drain', 'integrity', 'teardown', 'cli'];

/**
 * "Drill time by phase": every drill the tests ran, its phases summed, then the longest drills
 * with theirs. Read from AGENTDRILL_DRILL_PHASES (test/helpers/drill-phases.ts); nothing when
 * the run made no drill or was not started by scripts/test.mjs.
 */
export function drillPhasesSummary(file: string | undefined): string {
  if (!file || !existsSync(file)) return '';
  const drills = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as DrillPhases);
  if (drills.length === 0) return '';
  const sums: Record<string, number> = {};
  for (const d of drills) for (const [p, ms] of Object.entries(d.phases)) sums[p] = (sums[p] ?? 0) + ms;
  const wall = drills.reduce((s, d) => s + d.wallMs, 0);
  const phases = [...order.filter((p) => p in sums), ...Object.keys(sums).filter((p) => !order.includes(p))];
  const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
  const longest = [...drills].sort((a, b) => b.wallMs - a.wallMs).slice(0, 10);
  const brief = (d: DrillPhases) =>
    phases
      .filter((p) => (d.phases[p] ?? 0) >= 1000)
      .map((p) => `${p} ${(d.phases[p]! / 1000).toFixed(0)}`)
      .join(', ');
  return [
    `\nDrill time by phase (${drills.length} drills through the CLI, ${seconds(wall)} of wall time):`,
    `  ${phases.map((p) => `${p} ${seconds(sums[p]!)}`).join(', ')}`,
    'Longest drills (seconds by phase):',
    ...longest.map((d) => `  ${(d.wallMs / 1000).toFixed(0).padStart(5)} s  ${d.scenario} (${d.file}): ${brief(d)}`),
    '',
  ].join('\n');
}
