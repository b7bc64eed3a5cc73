import type { FleetDefinition } from '../fleet/definition/schema.ts';
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
export function fleetFileProblems(scenario: ScenarioConfig, fleet: FleetDefinition): FleetCheckProblem[] {
  const problems: FleetCheckProblem[] = [];
  const rate = scenario.load?.ratePerSec;
  if (rate !== undefined && rate > loadLimits.maxRatePerSec) {
    problems.push({ path: ['load', 'rate'], message: `load.rate ${rate}/s is more than the harness's load generator sends (${loadLimits.maxRatePerSec}/s)`, hint: `set a rate up to ${loadLimits.maxRatePerSec}/s` });
  }
  for (const agent of Object.values(fleet.agents)) {
    if (agent.command) continue;
    problems.push({
      path: ['fleet'],
      message: `agent "${agent.name}" of ${fleet.file} has only an image: a fleet file's agents run from their command for now`,
      hint: `add command: { argv: [...] } to agents.${agent.name} (images under --provider docker are not available yet)`,
    });
  }
  return problems;
}
