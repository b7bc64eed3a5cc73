import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { AgentdrillError } from '../core/errors.ts';
import type { Scenario } from './schema.ts';
import { validateScenarioText } from './validate.ts';

/** Reads, validates and normalizes one scenario file. */
export async function loadScenario(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const hint = code === 'EISDIR' ? 'pass a .yaml file, not a folder' : await siblingsHint(file);
    throw new AgentdrillError('SCENARIO_NOT_FOUND', `scenario file ${file} cannot be read (${code ?? 'error'})`, {
      hint,
      context: { file },
      cause: e,
    });
  }
  return validateScenarioText(text, file);
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
