import type { Rule } from '../detect/rule.ts';
import { closest } from '../detect/suggest.ts';
import type { FleetCheckProblem } from './fleet-checks.ts';
import type { DrillFleet } from './fleet-ref.ts';
import type { ScenarioConfig } from './schema.ts';

/** Which agents of the drilled fleet serve their own /metrics, and which declare a counter of rejected inputs. */
export interface MetricEndpoints {
  agents: readonly string[];
  withEndpoint: readonly string[];
  /** Agents that declare a counter of rejected inputs (`metrics: { invalid }`): what invalid(agent=...) reads. */
  withInvalid: readonly string[];
}

export function metricEndpointsOf(fleet: DrillFleet): MetricEndpoints {
  const agents = Object.values(fleet.definition.agents);
  return { agents: agents.map((a) => a.name), withEndpoint: agents.filter((a) => a.metrics).map((a) => a.name), withInvalid: agents.filter((a) => a.metrics?.invalid).map((a) => a.name) };
}

/**
 * Why `metric(agent=X, ...)` could never have data on this fleet, or undefined when it can. A rule
 * that can never hold would only be found out at the end of a drill, as a detection failure.
 */
export function metricTargetProblem(agent: string, endpoints: MetricEndpoints): { message: string; hint: string } | undefined {
  if (!endpoints.agents.includes(agent)) {
    const guess = closest(agent, endpoints.agents);
    return { message: `the fleet has no agent "${agent}"`, hint: `use one of ${endpoints.agents.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}` };
  }
  if (endpoints.withEndpoint.includes(agent)) return undefined;
  const others = endpoints.withEndpoint.length ? `, or read an agent that has one: ${endpoints.withEndpoint.join(', ')}` : '';
  return {
    message: `agent "${agent}" has no metrics: endpoint, so metric(agent=${agent}, ...) has nothing to read`,
    hint: `add metrics: { url: "http://127.0.0.1:\${instance.port}/metrics" } to agents.${agent} in the fleet file${others}`,
  };
}

/** The scenario's own rules (steady-state conditions, the `alert:` override) against its fleet. */
export function scenarioMetricProblems(scenario: Pick<ScenarioConfig, 'steadyState' | 'alert'>, fleet: DrillFleet): FleetCheckProblem[] {
  const endpoints = metricEndpointsOf(fleet);
  const rules: { path: (string | number)[]; rule: Rule }[] = scenario.steadyState.rules.map((rule, i) => ({ path: ['steadyState', 'conditions', i], rule }));
  if (scenario.alert) rules.push({ path: ['alert'], rule: scenario.alert.rule });
  return rules.flatMap(({ path, rule }) =>
    rule.conditions.flatMap((c) => {
      const problem = c.metric === 'metric' ? metricTargetProblem(c.target, endpoints) : c.metric === 'invalid' ? invalidTargetProblem(c.target, endpoints) : undefined;
      return problem ? [{ path, ...problem }] : [];
    }),
  );
}

/** Why `invalid(agent=X)` could never have data on a fleet file: X declares no counter of rejected inputs. */
export function invalidTargetProblem(agent: string, endpoints: MetricEndpoints): { message: string; hint: string } | undefined {
  if (endpoints.withInvalid.includes(agent)) return undefined;
  const others = endpoints.withInvalid.length ? ` (agents with one: ${endpoints.withInvalid.join(', ')})` : '';
  return {
    message: `invalid(agent=${agent}) reads the agent's counter of rejected inputs, and agent "${agent}" declares none`,
    hint: `add metrics: { url: ..., invalid: <counter name> } to agents.${agent} in the fleet file, or read the counter with metric(agent=${agent}, name=...)${others}`,
  };
}
