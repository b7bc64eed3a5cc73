import path from 'node:path';
import { type AgentdrillError, type Problem } from '../../core/errors.ts';
import { fileLimits, readUserFile } from '../../core/user-file.ts';
import { invalidFile } from '../../input/invalid.ts';
import { problemsFromIssue } from '../../input/issues.ts';
import { parseYaml } from '../../input/yaml-document.ts';
import { locate } from '../../input/yaml-positions.ts';
import { versionProblems } from '../release/agent-version.ts';
import { applyOverrides, overrideAt, setProblem } from '../release/apply-overrides.ts';
import type { SetOverride } from '../release/set-flag.ts';
import { checkCommands } from './command-check.ts';
import { fleetSchema, type FleetDefinition } from './schema.ts';

export interface LoadedFleet {
  fleet: FleetDefinition;
  /** Programs a `setup:` step may still build; checked again after setup. */
  deferredCommands: string[];
}

/** Reads, validates and normalizes one fleet file; every problem at once, exit 2. */
export async function loadFleetFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedFleet> {
  const text = await readUserFile(file, { kind: 'fleet file', maxBytes: fileLimits.fleet });
  return validateFleetText(text, file, env);
}

/**
 * `overrides` (`run --set`) are written into the file's data before it is checked, so they meet
 * the same rules; a problem in a value that came from a flag is reported under the flag.
 */
export function validateFleetText(text: string, file: string, env: NodeJS.ProcessEnv = process.env, overrides: readonly SetOverride[] = []): LoadedFleet {
  const parsed = parseYaml(text, file, { kind: 'fleet file', maxChars: fileLimits.fleet, example: 'examples/payments/fleet.yaml' });
  if (!parsed.ok) throw invalid(file, parsed.problems);
  const { doc, lineCounter, data } = parsed;
  const named = typeof data === 'object' && data !== null && typeof (data as { name?: unknown }).name === 'string' ? `fleet ${(data as { name: string }).name}` : 'the fleet file';
  const applied = applyOverrides(data, overrides, named);
  const result = fleetSchema.safeParse(applied.data);
  if (!result.success || applied.problems.length > 0) {
    const issues = result.success ? [] : result.error.issues;
    throw invalid(file, [
      ...applied.problems,
      ...issues.flatMap((i) => {
        const problems = problemsFromIssue(i, doc, lineCounter, file, 'the fleet file');
        const o = overrideAt(overrides, i.path);
        return o ? problems.map((p) => setProblem(o, p.message, p.hint)) : problems;
      }),
    ]);
  }
  const dir = path.dirname(path.resolve(file));
  const { problems, deferred } = checkCommands(result.data, dir, env);
  const found = [...problems, ...versionProblems(result.data.agents, env)];
  if (found.length > 0) {
    throw invalid(
      file,
      found.map((p): Problem => {
        const o = overrideAt(overrides, p.path);
        if (o) return setProblem(o, p.message, p.hint);
        const at = locate(doc, lineCounter, p.path);
        return { file, line: at.line, column: at.column, message: p.message, hint: p.hint };
      }),
    );
  }
  return { fleet: { ...result.data, file: path.resolve(file), dir }, deferredCommands: deferred };
}

function invalid(file: string, problems: Problem[]): AgentdrillError {
  return invalidFile('FLEET_INVALID', 'fleet file', file, problems);
}
