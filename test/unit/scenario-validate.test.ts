import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { scenarioProblems } from '../helpers/scenario-problems.ts';
import { describe, expect, it } from 'vitest';
import { AgentdrillError, type Problem } from '../../src/core/errors.ts';
import type { FaultSpec } from '../../src/faults/registry.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { validateScenarioText } from '../../src/scenario/validate.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const shippedFile = path.join(root, 'scenarios', 'downstream-backlog.yaml');
const shipped = readFileSync(shippedFile, 'utf8');
const file = path.join(root, 'scenarios', 'under-test.yaml');

const problemsOf = (text: string): Problem[] => scenarioProblems(text, file);

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

function edit(from: string, to: string): string {
  expect(shipped).toContain(from);
  return shipped.replace(from, to);
}

describe('scenario validation', () => {
  it('normalizes the shipped scenario', async () => {
    const s = await loadScenario(shippedFile);
    expect(s).toMatchObject({
      name: 'downstream-backlog',
      provider: 'local',
      fleet: { kind: 'file', replicas: { inventory: 1, decision: 1, fulfillment: 1, sink: 1 }, overrides: [] },
      load: { ratePerSec: 60 },
      baselineMs: 60_000,
      fault: { type: 'latency', target: 'inventory-api', latencyMs: 300, jitterMs: 0, toxicity: 1 },
      runbook: { file: path.join(root, 'runbooks', 'order-pipeline.md'), failureMode: 'downstream-backlog' },
      targets: { detectMs: 20_000, recoverMs: 90_000 },
      steadyState: { windowMs: 10_000, baselineWindowMs: 10_000, conditions: ['lag(group=inventory) < 200', 'throughput(group=inventory) >= 45/s'] },
      sampleIntervalMs: 250,
      drainMs: 60_000,
      timeLimitMs: 240_000,
      file: shippedFile,
    });
    // The fault config feeds src/faults unchanged.
    const spec: FaultSpec = s.fault;
    expect(spec.type === 'latency' && spec.latencyMs).toBe(300);
    expect(s.steadyState.rules[1]!.conditions[0]).toMatchObject({ metric: 'throughput', op: '>=', value: 45, unit: '/s' });
    expect(s.fleet.definition).toMatchObject({ name: 'order-pipeline', file: path.join(root, 'examples', 'order-pipeline', 'fleet.yaml') });
  });

  it('fills defaults for optional keys', () => {
    const minimal = shipped
      .split('\n')
      .filter((l) => !/^(provider|baseline|sampleInterval|drain|timeLimit|description):/.test(l) && !/^\s+(jitter|decision|sink):/.test(l))
      .join('\n');
    const s = validateScenarioText(minimal, file);
    expect(s).toMatchObject({ provider: 'local', description: '', baselineMs: 30_000, sampleIntervalMs: 250, drainMs: 60_000, timeLimitMs: 300_000 });
    expect(s.fault).toMatchObject({ jitterMs: 0 });
  });

  it('holds the baseline for baselineWindow when given, and says so at its line when it cannot fit', () => {
    const shorter = validateScenarioText(edit('  window: 10s', '  window: 10s\n  baselineWindow: 4s'), file);
    expect(shorter.steadyState).toMatchObject({ windowMs: 10_000, baselineWindowMs: 4000 });
    // A recovery window longer than the baseline is fine once the baseline's own window fits.
    const long = validateScenarioText(edit('  window: 10s', '  window: 90s\n  baselineWindow: 10s'), file);
    expect(long.steadyState).toMatchObject({ windowMs: 90_000, baselineWindowMs: 10_000 });
    const tooLong = edit('  window: 10s', '  window: 10s\n  baselineWindow: 61s');
    const p = problemsOf(tooLong).find((x) => x.message.includes('longer than the baseline'));
    expect(p).toMatchObject({ line: lineOf(tooLong, 'baselineWindow') });
    expect(p!.message).toContain('baselineWindow (61s)');
  });

  it('points an unknown key at its line and lists the allowed keys', () => {
    const text = edit('sampleInterval: 250ms', 'sampleIntrval: 250ms');
    const [p] = problemsOf(text);
    expect(p).toMatchObject({ file, line: lineOf(text, 'sampleIntrval'), column: 1 });
    expect(p!.message).toContain('unknown key "sampleIntrval"');
    expect(p!.hint).toContain('did you mean "sampleInterval"');
    expect(p!.hint).toContain('steadyState');

    const nested = edit('  rate: 60/s', '  rat: 60/s');
    const q = problemsOf(nested).find((x) => x.message.includes('unknown key "rat"'));
    expect(q).toMatchObject({ line: lineOf(nested, 'rat:'), column: 3 });
    expect(q!.hint).toMatch(/did you mean "rate"/);
  });

  it('quotes a value of the wrong type', () => {
    const text = edit('fleet: ../examples/order-pipeline/fleet.yaml', 'fleet: { file: ../examples/order-pipeline/fleet.yaml, replicas: { inventory: six } }');
    const [p] = problemsOf(text);
    expect(p).toMatchObject({ line: lineOf(text, 'replicas'), column: 78 });
    expect(p!.message).toBe('fleet.replicas.inventory: expected a number, got "six"');
  });

  it('explains a bad duration and an unknown enum value', () => {
    const text = edit('baseline: 60s', 'baseline: 20 seconds').replace('provider: local', 'provider: locale');
    const problems = problemsOf(text);
    expect(problems.map((p) => p.line)).toEqual([lineOf(text, 'provider'), lineOf(text, 'baseline')]);
    expect(problems[0]!.message).toContain('"locale" is not allowed');
    expect(problems[0]!.hint).toContain('did you mean "local"');
    expect(problems[1]!.message).toBe('baseline: "20 seconds" is not a duration');
    expect(problems[1]!.hint).toContain('20s');
    const bare = problemsOf(edit('baseline: 60s', 'baseline: 20'));
    expect(bare[0]).toMatchObject({ message: expect.stringContaining('got 20') as unknown, hint: 'add a unit: "20s" or "20ms"' });
    const tooSlow = problemsOf(edit('sampleInterval: 250ms', 'sampleInterval: 1s'));
    expect(tooSlow[0]!.hint).toContain('between 50ms and 250ms');
  });

  it('reports a missing runbook file at the runbook line', () => {
    const text = edit('../runbooks/order-pipeline.md', '../runbooks/missing.md');
    const [p] = problemsOf(text);
    expect(p).toMatchObject({ line: lineOf(text, 'runbook:'), column: 10 });
    expect(p!.message).toContain('runbook file "../runbooks/missing.md" not found');
  });

  it('reports a failure mode the runbook does not have, listing those it has', () => {
    const [p] = problemsOf(edit('#downstream-backlog', '#downstream-backlgo'));
    expect(p!.message).toContain('no failure mode "#downstream-backlgo"');
    expect(p!.hint).toContain('did you mean "#downstream-backlog"');
  });

  it('checks steady-state rules and points into the rule', () => {
    const text = edit('lag(group=inventory) < 200', 'lag(group=inventory) =< 200').replace('>= 45/s', '>= 45/s for 5s');
    const problems = problemsOf(text);
    expect(problems[0]).toMatchObject({ line: lineOf(text, '=< 200'), column: 7 + 21 });
    expect(problems[0]!.message).toContain('"="');
    expect(problems[1]!.message).toContain('"for" is not allowed');
  });

  it('reports every problem at once, in file order', () => {
    const text = shipped
      .replace('rate: 60/s', 'rate: fast')
      .replace('type: latency', 'type: latncy')
      .replace('detectWithin: 20s', 'detectWithin: soon')
      .replace('timeLimit: 4m', 'timeLimit: 4m\nextra: 1')
      .replace(/^name: .*\n/, '');
    const problems = problemsOf(text);
    expect(problems.map((p) => p.message)).toEqual([
      'missing required key "name" in the top level',
      'load.rate: "fast" is not a positive rate',
      'unknown fault.type "latncy"',
      'targets.detectWithin: "soon" is not a duration',
      'unknown key "extra" in the scenario',
    ]);
    expect(problems[2]!.hint).toContain('did you mean "latency"');
    const lines = problems.map((p) => p.line!);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('reports YAML syntax errors with their line', () => {
    const text = edit('  rate: 60/s', '  rate: [60/s');
    const [p] = problemsOf(text);
    expect(p!.message).toMatch(/^YAML syntax/);
    expect(p!.line).toBeGreaterThanOrEqual(lineOf(text, 'rate:'));
    expect(problemsOf('')[0]!.message).toBe('the scenario is empty');
    expect(problemsOf('- a\n- b')[0]!.message).toContain('expected a mapping');
  });

  it('reports a missing scenario file as SCENARIO_NOT_FOUND', async () => {
    await expect(loadScenario(path.join(root, 'scenarios', 'nope.yaml'))).rejects.toMatchObject({
      code: 'SCENARIO_NOT_FOUND',
      hint: expect.stringContaining('downstream-backlog.yaml') as unknown,
    });
  });

  it('throws nothing but AgentdrillError on arbitrary YAML-ish text', () => {
    const keys = ['name', 'fleet', 'load', 'rate', 'fault', 'type', 'runbook', 'targets', 'steadyState', 'conditions', 'window', 'x'];
    const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), fc.constantFrom('20s', 'latency', '[', '{', '*a', '&a', '!!binary', '~', '|', '- ', ':'));
    const line = fc.tuple(fc.nat({ max: 6 }), fc.constantFrom(...keys), scalar).map(([indent, k, v]) => `${' '.repeat(indent)}${k}: ${v}`);
    const yamlish = fc.array(fc.oneof(line, fc.string({ maxLength: 20 })), { maxLength: 12 }).map((ls) => ls.join('\n'));
    const mutated = fc.tuple(fc.nat(), fc.string({ maxLength: 4 })).map(([at, s]) => {
      const i = at % shipped.length;
      return shipped.slice(0, i) + s + shipped.slice(i + 2);
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), yamlish, mutated), (text) => {
        try {
          validateScenarioText(text, file);
        } catch (e) {
          if (!(e instanceof AgentdrillError)) throw e;
          for (const p of e.problems) expect(p.line).toBeGreaterThanOrEqual(1);
        }
      }),
      // Each text that parses reads the fleet file too: fewer runs than a self-contained scenario allowed.
      { numRuns: 100 },
    );
  }, 120_000);
});
