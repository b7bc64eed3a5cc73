import { z } from 'zod';
import { fleetSchema } from '../fleet/definition/schema.ts';
import { scenarioSchema } from '../scenario/schema.ts';

/**
 * JSON Schemas for editors (YAML language servers read `# yaml-language-server: $schema=...`),
 * generated from the same zod schemas the loaders use, as written (`io: 'input'`). They cover
 * shapes, names and enums; the cross-checks (declared names, templates, commands) stay the
 * loader's, which is why `agentdrill validate` remains the authority.
 */
export const jsonSchemas = {
  'fleet.schema.json': { title: 'agentdrill fleet file', schema: fleetSchema },
  'scenario.schema.json': { title: 'agentdrill scenario', schema: scenarioSchema },
} as const;

export function jsonSchemaText(name: keyof typeof jsonSchemas): string {
  const { title, schema } = jsonSchemas[name];
  const generated = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return JSON.stringify({ ...generated, $id: `https://agentdrill.dev/schemas/${name}`, title }, null, 2) + '\n';
}
