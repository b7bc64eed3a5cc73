import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { metricNames } from '../../detect/rule.ts';
import { commonNames, envNameOf, fleetFileEnvironmentNames, kubernetesNames } from '../../drill/step-environment.ts';
import { kafkaTools } from '../../infra/local/tools.ts';
import type { LintProfile } from '../model.ts';
import type { Scenario } from '../../scenario/index.ts';
import type { FleetNames, LintContext } from './types.ts';

/** What the drill puts on PATH in front of the user's own (src/drill/step-environment.ts). */
export const drillCommands: readonly string[] = ['agentdrill', ...Object.keys(kafkaTools)];

/**
 * The context `validate` and `run` lint with: this machine's PATH plus the drill's commands,
 * the drill's environment names, and (with a scenario) the fleet's names.
 */
export function lintContextFor(runbookFile: string, options: { scenario?: Scenario; pathVar?: string; profile?: LintProfile } = {}): LintContext {
  const dirs = (options.pathVar ?? process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const known = new Map<string, boolean>();
  // Under kubernetes the drill puts its own kubectl and KUBECONFIG in every step's environment.
  const kube = options.scenario?.provider === 'kubernetes';
  return {
    profile: options.profile ?? 'oncall',
    baseDir: path.dirname(path.resolve(runbookFile)),
    isBound: options.scenario ? inSet([...fleetFileEnvironmentNames(options.scenario.fleet.definition), ...(kube ? kubernetesNames : [])]) : boundWithoutFleet,
    commandExists(name) {
      if (drillCommands.includes(name) || (kube && name === 'kubectl')) return true;
      if (!known.has(name)) known.set(name, dirs.some((d) => isExecutable(path.join(d, name))));
      return known.get(name)!;
    },
    fileExists: (file) => existsSync(file),
    fleet: options.scenario ? fleetNames(options.scenario) : undefined,
  };
}

function inSet(names: readonly string[]): (name: string) => boolean {
  const set = new Set(names);
  return (name) => set.has(name);
}

/** The shapes of the names a fleet file gives its steps (step-environment.ts): <TOPIC>_TOPIC, <DEP>_URL, ... */
const fleetStepName = /^[A-Z][A-Z0-9_]*_(TOPIC|GROUP|URL|STATE_FILE|STATE_DIR)$/;

/**
 * A runbook validated without its scenario has no fleet to say which names its steps get: the
 * drill's own names are bound, and so is any name of a shape a fleet file gives, since the drill
 * checks those against the fleet it runs (`validate --scenario` checks them here).
 */
function boundWithoutFleet(name: string): boolean {
  return (commonNames as readonly string[]).includes(name) || fleetStepName.test(name);
}

const fileFleetMetrics = metricNames.filter((m) => m !== 'invalid');

export function fleetNames(scenario: Scenario): FleetNames {
  const { fleet } = scenario;
  const drilled = { file: path.resolve(scenario.runbook.file), failureMode: scenario.runbook.failureMode };
  const { agents, topics } = fleet.definition;
  return {
    agents: Object.keys(agents),
    groups: Object.values(agents).flatMap((a) => (a.group ? [a.group] : [])),
    // A runbook may name a topic by its production name or by the fleet file's key.
    topics: [...new Set(Object.entries(topics).flatMap(([key, t]) => [key, t.name]))],
    scalable: Object.values(agents).filter((a) => a.group).map((a) => a.name),
    // Steps get a topic by its fleet-file key (REQUESTS_TOPIC), whatever its production name.
    variables: Object.fromEntries(Object.entries(topics).flatMap(([key, t]) => [`topic:${key}`, `topic:${t.name}`].map((k) => [k, `${envNameOf(key)}_TOPIC`]))),
    // A team's own counters are read with metric(agent=..., name=...); invalid(...) where an agent declares its counter of rejected inputs.
    metrics: Object.values(agents).some((a) => a.metrics?.invalid) ? metricNames : fileFleetMetrics,
    withMetrics: Object.values(agents).filter((a) => a.metrics).map((a) => a.name),
    drilled,
  };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
