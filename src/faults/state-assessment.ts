import type { StateCheck } from '../fleet/types.ts';
import type { FaultAssessment, FaultContext } from './fault.ts';

/**
 * After the drain, a team's agent is held against its log by the team's own `state.verify`, run
 * for every running instance. Without one the drill cannot know how the state is derived, and the
 * report says "not assessed" instead of guessing; a check that fails (or finds no instance
 * running to check) fails the drill like a missed target.
 */
export async function assessTeamState(context: FaultContext, agent: string): Promise<FaultAssessment> {
  const instances = context.fleet.instances().filter((i) => i.agent === agent);
  const figures: FaultAssessment['figures'] = { restarts: instances.reduce((n, i) => n + i.restarts, 0) };
  const checks = await context.fleet.verifyState?.(agent);
  if (checks === undefined) return { figures: { ...figures, stateMatchesLog: 'not assessed: the fleet file declares no state.verify' }, failures: [] };
  if (checks.length === 0) {
    return { figures: { ...figures, stateMatchesLog: false }, failures: [`no ${agent} instance is running: its state cannot be checked against the log`] };
  }
  const differing = checks.filter((c) => !c.matches);
  return {
    figures: { ...checkFigures(checks), ...figures, stateMatchesLog: differing.length === 0, instancesChecked: checks.length, instancesDiffering: differing.length },
    failures: differing.map((c) => `${c.instanceId}: state.verify ${describeCheck(c)}`),
  };
}

/** The checks' own figures: numbers summed over the instances, anything else as the first instance said it. */
function checkFigures(checks: StateCheck[]): FaultAssessment['figures'] {
  const out: FaultAssessment['figures'] = {};
  for (const c of checks) {
    for (const [k, v] of Object.entries(c.figures ?? {})) {
      const before = out[k];
      out[k] = typeof v === 'number' && typeof before === 'number' ? before + v : (before ?? v);
    }
  }
  return out;
}

function describeCheck(c: StateCheck): string {
  const how = c.timedOut ? 'ran out of time' : c.exitCode === null ? 'could not run' : `exited ${c.exitCode}`;
  const last = c.output.split('\n').filter(Boolean).slice(-2).join(' | ');
  return last ? `${how}: ${last.slice(0, 300)}` : how;
}
