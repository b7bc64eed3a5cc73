import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentdrillError, type Problem } from '../../src/core/errors.ts';
import { exitCodeForError } from '../../src/core/exit-codes.ts';
import { validateFleetText } from '../../src/fleet/definition/load.ts';

// Validated as if it sat in a folder of its own: whether the example's setup has built .build/
// in this checkout (the integration tests run it) must not change what these tests see.
const example = readFileSync('examples/payments/fleet.yaml', 'utf8');
const file = path.join(os.tmpdir(), 'agentdrill-unbuilt-example', 'fleet.yaml');

function edit(from: string, to: string, text = example): string {
  expect(text, `the example no longer contains ${from}`).toContain(from);
  return text.replace(from, to);
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

function problems(text: string, env: NodeJS.ProcessEnv = process.env): Problem[] {
  try {
    validateFleetText(text, file, env);
  } catch (e) {
    expect(e).toBeInstanceOf(AgentdrillError);
    expect((e as AgentdrillError).code).toBe('FLEET_INVALID');
    expect(exitCodeForError((e as AgentdrillError).code)).toBe(2);
    return [...(e as AgentdrillError).problems];
  }
  throw new Error('the fleet file was accepted');
}

describe('fleet files', () => {
  it('normalizes the example: groups from consumes, production topic names, sizes in MB, defaults', () => {
    const { fleet, deferredCommands } = validateFleetText(example, file);
    expect(fleet.dir).toBe(path.dirname(file));
    expect(fleet.topics.requests).toEqual({ partitions: 6, name: 'payments.requests' });
    expect(fleet.agents.scorer).toMatchObject({ name: 'scorer', group: 'scorer', replicas: 2, memory: 256, restart: 'always', stopGrace: 8000, health: { group: true, timeout: 60_000 } });
    expect(fleet.agents.ledger).toMatchObject({ group: 'ledger', replicas: 1, memory: 384 });
    expect(fleet.load).toMatchObject({ topic: 'requests', ratePerSec: 40, stamp: { header: 'agentdrill-stamp', key: false } });
    expect(fleet.integrity).toEqual({ topic: 'booked', match: { header: 'agentdrill-stamp' } });
    // .build/bin/* is made by the setup step, so it is checked after setup, not now.
    expect(deferredCommands.map((c) => path.relative(fleet.dir, c)).sort()).toEqual(['.build/bin/ledger', '.build/bin/scorer']);
  });

  it('reports every problem at once, each at its line, naming the fix', () => {
    let text = edit('consumes: { topic: scored }', 'consumes: { topic: scoredd }');
    text = edit('GROUP_ID: ${groups.scorer}', 'GROUP_ID: ${groups.payments}', text);
    text = edit('FRAUD_API_URL: ${deps.fraud-api.url}', 'FRAUD_API_URL: ${deps.fraud.url}', text);
    text = edit('IN_TOPIC: ${topics.requests}', 'IN_TOPIC: ${topics.request}', text);
    text = edit('    replicas: 2', '    replicas: 2\n    replica: 3', text);
    const found = problems(text);
    const at = (needle: string) => found.find((p) => p.line === lineOf(text, needle));
    expect(found).toHaveLength(5);
    expect(at('consumes: { topic: scoredd }')?.hint).toContain('declared topics: requests, scored, booked');
    expect(at('${groups.payments}')?.message).toContain('unknown group "payments"');
    expect(at('${deps.fraud.url}')?.hint).toContain('declared dependencies: fraud-api');
    expect(at('${topics.request}')?.hint).toContain('did you mean "requests"');
    expect(at('replica: 3')?.hint).toContain('did you mean "replicas"');
    // The column points at the reference inside the value, not at the value's start.
    expect(at('${deps.fraud.url}')?.column).toBe(text.split('\n')[lineOf(text, '${deps.fraud.url}') - 1]!.indexOf('${') + 1);
  });

  it('refuses a command that is not there, naming where it looked', () => {
    const noSetup = edit('setup:\n  - argv: [node, setup.mjs]        # venv + compiled ledger, cached; quick when nothing changed\n', '');
    const found = problems(edit('argv: [python3, stand-ins/fraud_api.py]', 'argv: [python3-nope, stand-ins/fraud_api.py]', noSetup));
    expect(found.map((p) => p.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('"python3-nope" is not on PATH'), expect.stringContaining('.build/bin/scorer" is not an executable file')]),
    );
    expect(found.find((p) => p.message.includes('python3-nope'))?.line).toBe(lineOf(noSetup, 'argv: [python3'));
  });

  it('checks names between sections: one agent per group, integrity matching what the load stamps, a dependency with one source', () => {
    let text = edit('consumes: { topic: scored }', 'consumes: { topic: scored, group: scorer }');
    text = edit('match: { header: agentdrill-stamp }', 'match: { header: trace-id }', text);
    text = edit('    protocol: http\n', '    protocol: http\n    upstream: 10.0.0.7:8443\n', text);
    const messages = problems(text).map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('both consume in group "scorer"'),
        expect.stringContaining('integrity matches header "trace-id" but the load stamps "agentdrill-stamp"'),
        expect.stringContaining('an upstream or a command, not both'),
      ]),
    );
  });

  it('keeps agent-only and stand-in-only references apart', () => {
    const text = edit('FRAUD_API_PORT: ${dependency.port}', 'FRAUD_API_PORT: ${instance.port}');
    const [problem] = problems(edit('INSTANCE_ID: ${instance.id}', 'INSTANCE_ID: ${dependency.host}', text));
    expect(problem!.message).toContain("only known in an agent's command");
  });

  it('names an agent without a way to run it, and a group health check on an agent that consumes nothing', () => {
    const withoutLedgerRun = example.replace(/( {2}ledger:\n.*\n)( {4}command:\n(?: {6}.*\n)+)/, '$1').replace(/ {4}image: agentdrill-example\/payments-ledger.*\n/, '');
    const text = edit('    consumes: { topic: scored }\n', '', withoutLedgerRun);
    const found = problems(text);
    expect(found.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        'agents.ledger: agent "ledger" has neither a command nor an image',
        'agents.ledger.health: agent "ledger" has health { group: true } but consumes no topic',
      ]),
    );
  });
});

describe('the load in a fleet file', () => {
  it('refuses an unknown placeholder at its column, and a stamp field on a value that is not a JSON object', () => {
    let text = edit('key: "customer-{{int 1 200}}"', 'key: "customer-{{rand 1 200}}"');
    text = edit('match: { header: agentdrill-stamp }', 'match: { field: meta.stamp }', text);
    text = text.replace("    template: '{\"payment_id\"", "    template: 'payment={{seq}}' # '{\"payment_id\"").replace('load:\n  topic: requests', 'load:\n  stamp: { field: meta.stamp }\n  topic: requests');
    const found = problems(text);
    const keyLine = lineOf(text, 'customer-{{rand');
    expect(found.find((p) => p.line === keyLine)).toMatchObject({ message: 'load.key: unknown placeholder {{rand 1 200}}', column: text.split('\n')[keyLine - 1]!.indexOf('{{') + 1 });
    expect(found.map((p) => p.message)).toContain('load.value.template: the value is not a JSON object, so it cannot carry stamp.field "meta.stamp"');
  });
});

describe('the load in a fleet file, at the runtime’s bounds', () => {
  it('refuses a rate the harness cannot send and a stamp field that would reach Object.prototype', () => {
    const text = edit('  rate: 40/s', '  rate: 50000/s\n  stamp: { field: __proto__.polluted }');
    const found = problems(text).map((p) => `${p.line} ${p.message}`);
    expect(found).toEqual(
      expect.arrayContaining([
        `${lineOf(text, 'rate: 50000/s')} load.rate: the harness's load generator sends at most 20000/s`,
        expect.stringMatching(new RegExp(`^${lineOf(text, '__proto__')} load.stamp.field: .*reserved`)),
      ]),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
