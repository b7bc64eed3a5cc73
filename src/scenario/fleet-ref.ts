import path from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { isAgentdrillError, type Problem } from '../core/errors.ts';
import { fileLimits, readUserFileSync } from '../core/user-file.ts';
import { closest } from '../detect/suggest.ts';
import { validateFleetText } from '../fleet/definition/load.ts';
import type { FleetDefinition } from '../fleet/definition/schema.ts';
import type { SetOverride } from '../fleet/release/set-flag.ts';
import { locate } from '../input/yaml-positions.ts';
import type { ScenarioFleet } from './schema.ts';

/** A scenario's `fleet:` once its file is read and checked. */
export interface DrillFleet {
  kind: 'file';
  /** As written in the scenario, for messages. */
  ref: string;
  definition: FleetDefinition;
  /** Agent → replicas for this drill (the scenario's, else the fleet file's). */
  replicas: Record<string, number>;
  /** Programs a `setup:` step may still build. */
  deferredCommands: string[];
  /** `run --set`: already written into `definition`; kept to journal what the drill ran with. */
  overrides: SetOverride[];
}

/**
 * Reads the fleet file a scenario names (relative to the scenario), with `run --set` written in.
 * Its own problems are reported at its own lines; the scenario's `replicas:` must name its agents.
 * Replicas set on the command line win over the scenario's: the release gate's flag is the most
 * specific word.
 */
export function resolveScenarioFleet(
  fleet: ScenarioFleet,
  scenarioFile: string,
  doc: Document,
  lineCounter: LineCounter,
  env: NodeJS.ProcessEnv = process.env,
  overrides: readonly SetOverride[] = [],
): { fleet?: DrillFleet; problems: Problem[] } {
  const absolute = path.resolve(path.dirname(path.resolve(scenarioFile)), fleet.file);
  // The scenario's own settings first, the command line's after: a later value for a path wins.
  const byPath = new Map<string, SetOverride>();
  for (const o of [...fleet.set, ...overrides]) {
    byPath.delete(o.path);
    byPath.set(o.path, o);
  }
  overrides = [...byPath.values()];
  const at = (keys: (string | number)[]) => {
    const loc = locate(doc, lineCounter, keys);
    return { file: scenarioFile, line: loc.line, column: loc.column };
  };
  let loaded;
  try {
    const text = readUserFileSync(absolute, { kind: 'fleet file', maxBytes: fileLimits.fleet, code: 'FLEET_INVALID' });
    loaded = validateFleetText(text, absolute, env, overrides);
  } catch (e) {
    if (!isAgentdrillError(e)) throw e;
    if (e.problems.length > 0) return { problems: [...e.problems] };
    const missing = e.context.reason === 'missing';
    // A `fleet: path` has no `file` key: the nearest existing node, `fleet`, is pointed at.
    const where = at(['fleet', 'file']);
    return {
      problems: [
        {
          ...where,
          message: missing ? `fleet file "${fleet.file}" not found (looked for ${absolute})` : `fleet file "${fleet.file}" cannot be used: ${e.message}`,
          hint: missing ? 'the path is relative to this scenario file' : (e.hint ?? 'point fleet: at a fleet file (docs/fleet-format.md)'),
        },
      ],
    };
  }
  const { fleet: definition } = loaded;
  const agents = Object.keys(definition.agents);
  const problems: Problem[] = [];
  for (const name of Object.keys(fleet.replicas)) {
    if (agents.includes(name)) continue;
    const guess = closest(name, agents);
    problems.push({ ...at(['fleet', 'replicas', name]), message: `fleet.replicas names "${name}", which is not an agent of ${definition.name}`, hint: `agents: ${agents.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}` });
  }
  const setOnCommandLine = (agent: string) => overrides.some((o) => o.path === `agents.${agent}.replicas`);
  const replicas = Object.fromEntries(Object.values(definition.agents).map((a) => [a.name, setOnCommandLine(a.name) ? a.replicas : (fleet.replicas[a.name] ?? a.replicas)]));
  return { fleet: { kind: 'file', ref: fleet.file, definition, replicas, deferredCommands: loaded.deferredCommands, overrides: [...overrides] }, problems };
}
