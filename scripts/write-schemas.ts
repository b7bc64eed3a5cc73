// Regenerates schemas/*.json from the zod schemas (npm run schemas); a unit test fails when they are stale.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { jsonSchemas, jsonSchemaText } from '../src/input/json-schema.ts';

for (const name of Object.keys(jsonSchemas) as (keyof typeof jsonSchemas)[]) {
  const file = path.join(import.meta.dirname, '..', 'schemas', name);
  writeFileSync(file, jsonSchemaText(name));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
