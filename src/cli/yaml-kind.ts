import { isMap, isScalar, parseDocument } from 'yaml';
import { fileLimits, readUserFile } from '../core/user-file.ts';

export type YamlKind = 'scenario' | 'fleet';

/** Keys only a scenario has at its top level; a fleet file has `agents:` instead. */
const scenarioKeys = new Set(['fault', 'runbook', 'fleet', 'targets', 'steadyState']);

/**
 * Which of agentdrill's two YAML files this is, from its top-level keys: `agentdrill validate
 * my-drill.yaml` must check a scenario as a scenario, not list fourteen "unknown key" problems of
 * a fleet file. Anything unreadable or unclear is called a fleet file, whose loader then says
 * what is wrong at its line (as before scenarios were recognised).
 */
export async function yamlKind(file: string): Promise<YamlKind> {
  let text: string;
  try {
    text = await readUserFile(file, { kind: 'YAML file', maxBytes: Math.max(fileLimits.scenario, fileLimits.fleet) });
  } catch {
    return 'fleet';
  }
  // The document's nodes, never toJS(): an alias bomb is not expanded just to read the keys.
  const contents = parseDocument(text, { uniqueKeys: false }).contents;
  if (!isMap(contents)) return 'fleet';
  const keys = contents.items.flatMap((pair) => (isScalar(pair.key) && typeof pair.key.value === 'string' ? [pair.key.value] : []));
  if (keys.includes('agents')) return 'fleet';
  return keys.some((k) => scenarioKeys.has(k)) ? 'scenario' : 'fleet';
}
