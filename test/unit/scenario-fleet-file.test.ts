import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAgentdrillError } from '../../src/core/errors.ts';
import { readFileSync } from 'node:fs';
import { scenarioMetricProblems } from '../../src/scenario/metric-targets.ts';
import { validateScenarioText } from '../../src/scenario/validate.ts';

/** A scenario that names a fleet file: the fault's target and the drill's asks checked against it, at the scenario's lines. */
const file = path.resolve('examples/payments/drills/probe.yaml');
const base = (fault: string, extra = '') => `name: probe
fleet: ../fleet.yaml
${extra}fault: ${fault}
runbook: ../runbook.md#fraud-api-slow
targets: { detectWithin: 30s, recoverWithin: 60s }
steadyState: { window: 5s, conditions: ["lag(group=scorer) < 150"] }
`;

function problems(text: string): { line: number | undefined; message: string; hint: string | undefined }[] {
  try {
    validateScenarioText(text, file);
  } catch (e) {
    if (!isAgentdrillError(e)) throw e;
    expect(e.code).toBe('SCENARIO_INVALID');
    return e.problems.map((p) => ({ line: p.line, message: p.message, hint: p.hint }));
  }
  throw new Error('expected the scenario to be refused');
}

describe('a scenario on a fleet file', () => {
  it('reads the fleet file and resolves the fault against it', () => {
    const s = validateScenarioText(base('{ type: latency, target: fraud-api, latency: 100ms }', 'load: { rate: 80/s }\n'), file);
    expect(s.fleet.kind).toBe('file');
    if (s.fleet.kind !== 'file') return;
    expect(s.fleet.definition.name).toBe('payments');
    expect(s.fleet.replicas).toEqual({ scorer: 2, ledger: 1 });
    expect(s.fault).toMatchObject({ type: 'latency', target: 'fraud-api', latencyMs: 100 });
    expect(s.load).toEqual({ ratePerSec: 80 });
  });

  it('names a dependency the fleet lacks at the fault line, with the closest', () => {
    const [p] = problems(base('{ type: latency, target: fraud-apy, latency: 100ms }'));
    expect(p).toMatchObject({ line: 3, message: 'fault.target "fraud-apy" is not a dependency of fleet payments (../fleet.yaml)' });
    expect(p!.hint).toContain('did you mean "fraud-api"');
  });

  it('refuses an instance past the replicas, an agent that consumes nothing, state on an agent that declares none; memory growth on an agent with an image', () => {
    expect(problems(base('{ type: kill-consumer, agent: scorer, instance: 3 }'))[0]!.message).toBe("fault.instance 3 is past scorer's 2 replica(s)");
    expect(validateScenarioText(base('{ type: kill-consumer, agent: scorer, instance: 3 }').replace('fleet: ../fleet.yaml', 'fleet: { file: ../fleet.yaml, replicas: { scorer: 3 } }'), file).fault).toMatchObject({ agent: 'scorer', instance: 3 });
    expect(problems(base('{ type: kill-consumer }'))[0]!.message).toBe('fault.agent is missing: kill-consumer needs an agent that consumes in a group');
    expect(validateScenarioText(base('{ type: corrupt-state, agent: scorer, mode: truncate, instance: 2 }'), file).fault).toEqual({ type: 'corrupt-state', agent: 'scorer', mode: 'truncate', instance: 2 });
    expect(problems(base('{ type: corrupt-state, agent: ledger }'))[0]!.message).toBe('fault.agent "ledger" is not an agent that declares its state of fleet payments (../fleet.yaml)');
    expect(problems(base('{ type: corrupt-state, agent: scorer, instance: 3 }'))[0]!.message).toBe("fault.instance 3 is past scorer's 2 replica(s)");
    // An agent with an image can be grown (in its container; the provider is checked when the drill is prepared).
    expect(validateScenarioText(base('{ type: memory-growth, target: scorer, variant: reactive, rate: 4MB/s }'), file).fault).toMatchObject({ type: 'memory-growth', target: 'scorer', mbPerSec: 4 });
  });

  it('finds every other problem before anything starts: a missing fleet file, replicas of no agent, a rate the load cannot send', () => {
    expect(problems(base('{ type: latency, target: fraud-api, latency: 1s }').replace('../fleet.yaml', '../nope.yaml'))[0]).toMatchObject({ line: 2, message: expect.stringContaining('fleet file "../nope.yaml" not found') });
    const many = problems(base('{ type: latency, target: fraud-api, latency: 1s }', 'load: { rate: 50000/s }\n').replace('fleet: ../fleet.yaml', 'fleet: { file: ../fleet.yaml, replicas: { scorr: 2 } }'));
    expect(many.map((p) => [p.line, p.message])).toEqual([
      [2, 'fleet.replicas names "scorr", which is not an agent of payments'],
      [3, "load.rate 50000/s is more than the harness's load generator sends (20000/s)"],
    ]);
    expect(many[0]!.hint).toContain('did you mean "scorer"');
  });

  it('checks metric(agent=...) in the steady state and the alert against the fleet: an agent it has, with a metrics: endpoint', () => {
    const scorer = 'metric(agent=scorer, name=scorer_invalid_inputs_total) == 0/s';
    const ok = validateScenarioText(base('{ type: latency, target: fraud-api, latency: 100ms }').replace('"lag(group=scorer) < 150"', `"lag(group=scorer) < 150", "${scorer}"`), file);
    expect(ok.steadyState.conditions).toContain(scorer);

    const text = base('{ type: latency, target: fraud-api, latency: 100ms }', 'alert: metric(agent=ledger, name=ledger_booked_total) < 1/s for 5s\n').replace(
      '"lag(group=scorer) < 150"',
      '"lag(group=scorer) < 150", "metric(agent=scorr, name=x_total) == 0"',
    );
    const found = problems(text);
    expect(found.map((p) => [p.line, p.message])).toEqual([
      [3, 'agent "ledger" has no metrics: endpoint, so metric(agent=ledger, ...) has nothing to read'],
      [7, 'the fleet has no agent "scorr"'],
    ]);
    expect(found[0]!.hint).toContain('add metrics: { url: "http://127.0.0.1:${instance.port}/metrics" } to agents.ledger');
    expect(found[0]!.hint).toContain('an agent that has one: scorer');
    expect(found[1]!.hint).toContain('did you mean "scorer"');
  });

  it('refuses metric() on an agent of the order pipeline that serves no /metrics, saying why, at the condition’s path', () => {
    const shipped = readFileSync(path.resolve('scenarios/downstream-backlog.yaml'), 'utf8');
    const text = shipped.replace('- throughput(group=inventory) >= 45/s', '- metric(agent=sink, name=processed_total) > 1/s');
    let error: unknown;
    try {
      validateScenarioText(text, path.resolve('scenarios/under-test.yaml'));
    } catch (e) {
      error = e;
    }
    expect(isAgentdrillError(error) && error.code).toBe('SCENARIO_INVALID');
    const [p] = (error as { problems: { line?: number; message: string; hint?: string }[] }).problems;
    expect(p).toMatchObject({ line: text.split('\n').findIndex((l) => l.includes('metric(agent=sink')) + 1, message: 'agent "sink" has no metrics: endpoint, so metric(agent=sink, ...) has nothing to read' });
    expect(p!.hint).toContain('an agent that has one: inventory, decision, fulfillment');
    // The same check by path, as the validator locates it.
    const steady = validateScenarioText(shipped, path.resolve('scenarios/under-test.yaml'));
    const rule = { conditions: [{ metric: 'metric' as const, label: 'agent' as const, target: 'sink', op: '>' as const, value: 1, unit: undefined, series: { name: 'x', labels: {} } }], forMs: undefined };
    const steadyState = { ...steady.steadyState, rules: [...steady.steadyState.rules, rule] };
    expect(scenarioMetricProblems({ steadyState, alert: { text: '', rule } }, steady.fleet).map((q) => q.path)).toEqual([['steadyState', 'conditions', 2], ['alert']]);
  });
});
