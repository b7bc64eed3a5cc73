import type { Finding, ParsedRunbook } from '../runbook/model.ts';
import type { Scenario } from '../scenario/index.ts';
import { yamlKind } from './yaml-kind.ts';

export interface FleetSummary {
  file: string;
  name: string;
  agents: string[];
  topics: number;
  dependencies: number;
}

export interface ScenarioSummary {
  file: string;
  name: string;
  fault: string;
  provider: string;
  fleet: string;
  runbook: string;
  failureMode: string;
}

/** A scenario checked as `agentdrill run` checks it before starting: its runbook with the drill profile. */
export interface CheckedScenario {
  summary: ScenarioSummary;
  runbook: { file: string; parsed: ParsedRunbook; findings: Finding[] };
}

/** The YAML files given to `validate`, sorted into scenarios and fleet files by their keys. */
export async function sortYamlFiles(files: string[]): Promise<{ scenarios: string[]; fleets: string[] }> {
  const kinds = await Promise.all(files.map(async (file) => ({ file, kind: await yamlKind(file) })));
  return { scenarios: kinds.filter((k) => k.kind === 'scenario').map((k) => k.file), fleets: kinds.filter((k) => k.kind === 'fleet').map((k) => k.file) };
}

/** Fleet files are checked whole (FLEET_INVALID, exit 2, on the first bad one); the summary of each good one. */
export async function checkFleetFiles(files: string[]): Promise<FleetSummary[]> {
  if (files.length === 0) return [];
  const { loadFleetFile } = await import('../fleet/definition/load.ts');
  const out = [];
  for (const file of files) {
    const { fleet } = await loadFleetFile(file);
    out.push({ file, name: fleet.name, agents: Object.keys(fleet.agents), topics: Object.keys(fleet.topics).length, dependencies: Object.keys(fleet.dependencies).length });
  }
  return out;
}

/**
 * Each scenario with its fleet file (SCENARIO_INVALID or FLEET_INVALID, exit 2, every problem of
 * the first bad one), the failure mode it names, and its runbook linted for the drill on the
 * scenario's provider: what `run` refuses before anything starts, without starting anything.
 */
export async function checkScenarioFiles(files: string[]): Promise<CheckedScenario[]> {
  if (files.length === 0) return [];
  const [{ loadScenario }, { validateRunbookFile }, { selectFailureMode }] = await Promise.all([import('../scenario/index.ts'), import('../runbook/validate.ts'), import('../runbook/load.ts')]);
  const out: CheckedScenario[] = [];
  for (const file of files) {
    const scenario: Scenario = await loadScenario(file);
    const { parsed, findings } = await validateRunbookFile(scenario.runbook.file, { scenario, profile: 'drill' });
    const mode = selectFailureMode(parsed.runbook, scenario.runbook.failureMode);
    out.push({
      summary: { file, name: scenario.name, fault: scenario.fault.type, provider: scenario.provider, fleet: scenario.fleet.definition.file, runbook: scenario.runbook.file, failureMode: mode.id },
      runbook: { file: scenario.runbook.file, parsed, findings },
    });
  }
  return out;
}
