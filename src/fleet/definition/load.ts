import path from 'node:path';
import { type AgentdrillError, type Problem } from '../../core/errors.ts';
import { fileLimits, readUserFile } from '../../core/user-file.ts';
import { invalidFile } from '../../input/invalid.ts';
import { problemsFromIssue } from '../../input/issues.ts';
import { parseYaml } from '../../input/yaml-document.ts';
import { locate } from '../../input/yaml-positions.ts';
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

export function validateFleetText(text: string, file: string, env: NodeJS.ProcessEnv = process.env): LoadedFleet {
  const parsed = parseYaml(text, file, { kind: 'fleet file', maxChars: fileLimits.fleet, example: 'examples/payments/fleet.yaml' });
  if (!parsed.ok) throw invalid(file, parsed.problems);
  const { doc, lineCounter, data } = parsed;
  const result = fleetSchema.safeParse(data);
  if (!result.success) throw invalid(file, result.error.issues.flatMap((i) => problemsFromIssue(i, doc, lineCounter, file, 'the fleet file')));
  const dir = path.dirname(path.resolve(file));
  const { problems, deferred } = checkCommands(result.data, dir, env);
  if (problems.length > 0) {
    throw invalid(
      file,
      problems.map((p): Problem => {
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
