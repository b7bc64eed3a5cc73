import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { jsonSchemas, jsonSchemaText } from '../../src/input/json-schema.ts';

const names = Object.keys(jsonSchemas) as (keyof typeof jsonSchemas)[];

function validator(name: keyof typeof jsonSchemas) {
  return new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(`schemas/${name}`, 'utf8')));
}

describe('JSON Schemas for editors', () => {
  it.each(names)('schemas/%s is what the zod schemas generate (else: npm run schemas)', (name) => {
    expect(readFileSync(`schemas/${name}`, 'utf8')).toBe(jsonSchemaText(name));
  });

  it('accepts the shipped fleet file and scenarios, and rejects an unknown key as the loader does', () => {
    const fleet = validator('fleet.schema.json');
    const example = parse(readFileSync('examples/payments/fleet.yaml', 'utf8')) as Record<string, unknown>;
    expect(fleet(example), JSON.stringify(fleet.errors)).toBe(true);
    expect(fleet({ ...example, agnets: {} })).toBe(false);
    const scenario = validator('scenario.schema.json');
    for (const file of ['downstream-backlog', 'kill-consumer', 'memory-growth', 'memory-growth-reactive', 'state-corruption']) {
      expect(scenario(parse(readFileSync(`scenarios/${file}.yaml`, 'utf8'))), `${file}: ${JSON.stringify(scenario.errors)}`).toBe(true);
    }
  });

  it('offers the toxics and kill-consumer\'s choices to editors, and refuses what the loader refuses', () => {
    const scenario = validator('scenario.schema.json');
    const base = parse(readFileSync('scenarios/downstream-backlog.yaml', 'utf8')) as Record<string, unknown>;
    const withFault = (fault: object) => scenario({ ...base, fault });
    expect(withFault({ type: 'bandwidth', target: 'inventory-api', rate: '64KB/s', stream: 'upstream' })).toBe(true);
    expect(withFault({ type: 'reset-peer', target: 'inventory-api', toxicity: 0.5 })).toBe(true);
    expect(withFault({ type: 'kill-consumer', instance: 'random', signal: 'SIGTERM' })).toBe(true);
    expect(withFault({ type: 'kill-consumer', signal: 'SIGHUP' })).toBe(false);
    expect(withFault({ type: 'slow-close', target: 'inventory-api', delay: '1s', stream: 'both' })).toBe(false);
    expect(withFault({ type: 'timeout', target: 'inventory-api' })).toBe(false);
  });
});
