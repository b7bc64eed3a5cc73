import { loadLimits } from '../load/load-spec.ts';
import type { ScenarioConfig } from './schema.ts';

export interface FleetCheckProblem {
  path: (string | number)[];
  message: string;
  hint: string;
}

/**
 * What a scenario asks of a fleet file that the drill could not honour, found before anything
 * starts rather than after the setup and the agents are up.
 */
export function fleetFileProblems(scenario: ScenarioConfig): FleetCheckProblem[] {
  const problems: FleetCheckProblem[] = [];
  const rate = scenario.load?.ratePerSec;
  if (rate !== undefined && rate > loadLimits.maxRatePerSec) {
    problems.push({ path: ['load', 'rate'], message: `load.rate ${rate}/s is more than the harness's load generator sends (${loadLimits.maxRatePerSec}/s)`, hint: `set a rate up to ${loadLimits.maxRatePerSec}/s` });
  }
  // Whether an image-only agent can run depends on the provider, known when the drill is prepared (drill/provider-fit.ts).
  return problems;
}
