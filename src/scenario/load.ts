import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { AgentdrillError, isAgentdrillError } from '../core/errors.ts';
import { fileLimits, readUserFile } from '../core/user-file.ts';
import type { SetOverride } from '../fleet/release/set-flag.ts';
import type { Scenario } from './schema.ts';
import { validateScenarioText } from './validate.ts';

/** Reads, validates and normalizes one scenario file; `overrides` (`run --set`) change its fleet file. */
export async function loadScenario(file: string, overrides: readonly SetOverride[] = []): Promise<Scenario> {
  let text: string;
  try {
    text = await readUserFile(file, { kind: 'scenario', maxBytes: fileLimits.scenario, code: 'SCENARIO_NOT_FOUND' });
  } catch (e) {
    if (!isAgentdrillError(e)) throw e;
    const reason = e.context.reason;
    const hint = reason === 'folder' ? 'pass a .yaml file, not a folder' : reason === 'missing' ? await siblingsHint(file) : e.hint;
    throw new AgentdrillError(e.code, e.message, { hint, context: e.context });
  }
  return validateScenarioText(text, file, process.env, overrides);
}

async function siblingsHint(file: string): Promise<string> {
  const dir = path.dirname(file);
  try {
    const yamls = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f));
    if (yamls.length) return `scenarios in ${dir}: ${yamls.join(', ')}`;
  } catch {
    // the folder is missing too; the generic hint below says enough
  }
  return 'check the path; scenarios ship in scenarios/*.yaml';
}
