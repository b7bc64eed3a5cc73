import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentdrillError } from '../../src/core/errors.ts';
import { validateFleetText } from '../../src/fleet/definition/load.ts';
import { parseSetFlags } from '../../src/fleet/release/set-flag.ts';
import { invalidCounters, invalidSeries } from '../../src/fleet/team/invalid-counters.ts';
import { ownLeakHooks } from '../../src/fleet/team/own-leak.ts';
import { runStateVerify } from '../../src/fleet/team/state-verify.ts';
import { validateScenarioText } from '../../src/scenario/validate.ts';

// What the shipped order pipeline needs of a fleet file, as features any team can use.
const file = path.resolve('examples/order-pipeline/fleet.yaml');
const text = readFileSync(file, 'utf8');
const load = (t: string, flags: string[] = []) => validateFleetText(t, file, process.env, parseSetFlags(flags)).fleet;
const refused = (t: string) => {
  try {
    validateFleetText(t, file);
  } catch (e) {
    expect(e).toBeInstanceOf(AgentdrillError);
    return [...(e as AgentdrillError).problems];
  }
  throw new Error('accepted');
};

describe('fleet-file capabilities the order pipeline uses', () => {
  it('the order pipeline is a valid fleet file: heap, a leak switch, an invalid-inputs counter and a state check', () => {
    const fleet = load(text);
    expect(Object.keys(fleet.agents)).toEqual(['inventory', 'decision', 'fulfillment', 'sink']);
    expect(fleet.agents.fulfillment!.heap).toBe(1024);
    expect(fleet.agents.fulfillment!.admin?.leak).toEqual({ rate: 'leakMbPerSec', retain: 'cacheTtlMs' });
    expect(fleet.agents.fulfillment!.metrics?.invalid).toBe('agent_invalid_inputs_total');
    expect(fleet.agents.decision!.state?.verify?.argv.at(-1)).toBe('src/reference-fleet/verify-decision-state.ts');
  });

  it('${instance.heapMb} needs the agent to declare heap:, named at its line', () => {
    const problems = refused(text.replace('    heap: 1024MB\n', ''));
    // Both places that name it: the command's V8 flag and the environment the image's entrypoint reads.
    expect(problems).toHaveLength(2);
    for (const p of problems) expect(p.message).toContain('"${instance.heapMb}" has no value: agent "fulfillment" declares no heap:');
    expect(problems.map((p) => p.line)).toEqual([
      text.split('\n').findIndex((l) => l.includes('--max-old-space-size')) + 1,
      text.split('\n').findIndex((l) => l.includes('HEAP_MB:')) + 1,
    ]);
  });

  it('--set takes a heap and a topic\'s partitions, checked by the file\'s own rules', () => {
    const fleet = load(text, ['agents.fulfillment.heap=192MB', 'topics.orders.partitions=10']);
    expect(fleet.agents.fulfillment!.heap).toBe(192);
    expect(fleet.topics.orders!.partitions).toBe(10);
    expect(() => parseSetFlags(['topics.orders.partitions=0'])).toThrow(/invalid --set/);
    expect(() => load(text, ['topics.order.partitions=4'])).toThrow(AgentdrillError);
  });

  it('a scenario sets what --set sets; the command line wins', () => {
    const scenarioFile = path.resolve('scenarios/probe.yaml');
    const scenario = (set: string) => `name: probe
fleet: { file: ../examples/order-pipeline/fleet.yaml, replicas: { inventory: 5 }, set: ${set} }
load: { rate: 100/s }
fault: { type: kill-consumer, agent: inventory, instance: 5 }
runbook: ../runbooks/order-pipeline.md#consumer-rebalance
targets: { detectWithin: 20s, recoverWithin: 60s }
steadyState: { window: 8s, conditions: ["lag(group=inventory) < 60"] }
`;
    const s = validateScenarioText(scenario('{ topics.orders.partitions: 10, agents.inventory.command.env.CONCURRENCY: 4 }'), scenarioFile);
    if (s.fleet.kind !== 'file') throw new Error('expected a fleet file');
    expect(s.fleet.definition.topics.orders!.partitions).toBe(10);
    expect(s.fleet.definition.agents.inventory!.command!.env.CONCURRENCY).toBe('4');
    expect(s.fleet.replicas.inventory).toBe(5);
    const cli = validateScenarioText(scenario('{ topics.orders.partitions: 10 }'), scenarioFile, process.env, parseSetFlags(['topics.orders.partitions=12']));
    if (cli.fleet.kind !== 'file') throw new Error('expected a fleet file');
    expect(cli.fleet.definition.topics.orders!.partitions).toBe(12);
    expect(() => validateScenarioText(scenario('{ topics.orders.shards: 10 }'), scenarioFile)).toThrow(/unknown key "shards"/);
  });

  it('invalid(agent=X) reads the counter X declares, 0 while no instance answers', () => {
    const watched = invalidSeries(load(text));
    expect(watched.map((w) => w.agent)).toEqual(['inventory', 'decision', 'fulfillment']);
    const key = watched.find((w) => w.agent === 'fulfillment')!.key;
    expect(invalidCounters(watched, { [key]: { value: 7, increase: 7, stale: false } })).toEqual({ 'invalid.inventory': 0, 'invalid.decision': 0, 'invalid.fulfillment': 7 });
  });

  it('a state check\'s last line, a JSON object, becomes its figures and leaves its output', async () => {
    const script = 'console.log("state differs in 2 SKUs"); console.log(JSON.stringify({ skusDiffering: 2, exact: false, nested: {} })); process.exit(1)';
    const check = await runStateVerify('decision-1', { argv: [process.execPath, '-e', script], cwd: process.cwd(), env: {} });
    expect(check).toMatchObject({ matches: false, exitCode: 1, figures: { skusDiffering: 2, exact: false } });
    expect(check.output.trim()).toBe('state differs in 2 SKUs');
    const plain = await runStateVerify('decision-1', { argv: [process.execPath, '-e', 'console.log("ok {")'], cwd: process.cwd(), env: {} });
    expect(plain.figures).toBeUndefined();
    expect(plain.matches).toBe(true);
  });

  it('memory-growth switches the declared leak on and off through the agent\'s admin endpoint, only for agents that have one', async () => {
    const posted: unknown[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posted.push({ path: req.url, body: JSON.parse(body) as unknown });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const hooks = ownLeakHooks(load(text), (id) => ({ agent: id.replace(/-\d+$/, ''), adminUrl: url }))!;
      expect(hooks.leaks!('fulfillment')).toBe(true);
      expect(hooks.leaks!('inventory')).toBe(false);
      await hooks.leak!('fulfillment-1', { mbPerSec: 3, cacheTtlMs: 600_000 });
      await hooks.leak!('fulfillment-1', undefined);
      expect(posted).toEqual([
        { path: '/config', body: { leakMbPerSec: 3, cacheTtlMs: 600_000 } },
        { path: '/config', body: { leakMbPerSec: 0 } },
      ]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
