import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetSchema } from '../../src/fleet/definition/schema.ts';
import { resolvePrometheusDetection } from '../../src/scenario/detection-rules.ts';
import { validateScenarioText } from '../../src/scenario/validate.ts';
import { scenarioProblems } from '../helpers/scenario-problems.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const shipped = readFileSync(path.join(root, 'scenarios', 'downstream-backlog.yaml'), 'utf8');
const file = path.join(root, 'scenarios', 'under-test.yaml');

/** The shipped scenario with a `detection:` block appended (lines given as written). */
const withDetection = (...lines: string[]) => `${shipped}detection:\n  prometheus:\n${lines.map((l) => `    ${l}`).join('\n')}\n`;
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('scenario detection.prometheus', () => {
  it('reads the rule files relative to the scenario and finds the paging alert; intervals default to Prometheus\' and Alertmanager\'s', () => {
    const s = validateScenarioText(withDetection('rules: [../monitoring/order-pipeline.rules.yml]', 'alert: AgentConsumerLagHigh', 'scrapeInterval: 5s'), file);
    const p = s.detection!.prometheus;
    expect(p.ruleFiles).toEqual([path.join(root, 'monitoring', 'order-pipeline.rules.yml')]);
    expect(p).toMatchObject({ alert: 'AgentConsumerLagHigh', scrapeIntervalMs: 5000, evaluationIntervalMs: 60_000, groupWaitMs: 30_000, groupIntervalMs: 300_000 });
    expect(p.rule.forMs).toBe(2000);
  });

  it('an alert the rule files do not define is an error at its line, with the alerts they do define', () => {
    const text = withDetection('rules: [../monitoring/order-pipeline.rules.yml]', 'alert: AgentConsumerLagHihg');
    const [p] = scenarioProblems(text, file);
    expect(p).toMatchObject({ line: lineOf(text, 'AgentConsumerLagHihg'), message: expect.stringContaining('no alert "AgentConsumerLagHihg"') as string });
    expect(p!.hint).toContain('did you mean "AgentConsumerLagHigh"');
  });

  it('an unknown key and an unbounded interval are each reported at their line', () => {
    const text = withDetection('rules: [../monitoring/order-pipeline.rules.yml]', 'alert: AgentConsumerLagHigh', 'scrapeInterval: 10ms', 'groupwait: 5s');
    const problems = scenarioProblems(text, file);
    expect(problems.map((p) => p.line)).toEqual([lineOf(text, 'scrapeInterval'), lineOf(text, 'groupwait')]);
    expect(problems[0]!.message).toMatch(/out of range \(allowed: 250ms to 5m\)/);
    expect(problems[1]!.hint).toMatch(/groupWait/);
  });

  it('a rule file that is not there is reported at its line in the list', () => {
    const text = withDetection('rules: [../monitoring/order-pipeline.rules.yml, ../monitoring/nope.yml]', 'alert: AgentConsumerLagHigh');
    const [p] = scenarioProblems(text, file);
    expect(p).toMatchObject({ line: lineOf(text, 'nope.yml'), message: expect.stringMatching(/rule file "..\/monitoring\/nope.yml" not found/) as string });
  });

  it('an alert name Prometheus could not have is refused', () => {
    const text = withDetection('rules: [../monitoring/order-pipeline.rules.yml]', 'alert: "lag high"');
    expect(scenarioProblems(text, file)[0]!.line).toBe(lineOf(text, 'lag high'));
  });
});

describe('monitoring from the fleet file', () => {
  const fleet = { file: path.join(root, 'examples', 'team', 'fleet.yaml'), dir: path.join(root, 'examples', 'team') };

  it('a scenario names only its alert: the fleet file\'s rule files (relative to it) and intervals are used, its own values win', () => {
    const monitoring = { rules: ['../../monitoring/order-pipeline.rules.yml'], scrapeInterval: 15_000, groupWait: 10_000 };
    const { detection, problems } = resolvePrometheusDetection({ alert: 'AgentMemoryHigh', groupWait: 2000 }, file, { ...fleet, monitoring });
    expect(problems).toEqual([]);
    expect(detection).toMatchObject({
      ruleFiles: [path.join(root, 'monitoring', 'order-pipeline.rules.yml')],
      scrapeIntervalMs: 15_000,
      evaluationIntervalMs: 60_000,
      groupWaitMs: 2000,
      rule: { name: 'AgentMemoryHigh' },
    });
  });

  it('rules in neither place is a problem at detection.prometheus; a fleet rule file that is missing says which file it is relative to', () => {
    expect(resolvePrometheusDetection({ alert: 'A' }, file, { ...fleet, monitoring: undefined }).problems[0]).toMatchObject({ path: ['detection', 'prometheus'], message: expect.stringMatching(/no rule files/) as string });
    const missing = resolvePrometheusDetection({ alert: 'A' }, file, { ...fleet, monitoring: { rules: ['nope.yml'] } }).problems[0]!;
    expect(missing.hint).toContain(fleet.file);
  });

  it('fleet files accept monitoring.prometheus and reject unknown keys in it', () => {
    const base = { name: 'f', topics: { t: null }, agents: { a: { command: { argv: ['true'] }, consumes: { topic: 't' } } }, load: { topic: 't', rate: '10/s', value: { template: '{"n": {{seq}}}' } } };
    expect(fleetSchema.safeParse({ ...base, monitoring: { prometheus: { rules: ['r.yml'], scrapeInterval: '15s' } } }).success).toBe(true);
    expect(fleetSchema.safeParse({ ...base, monitoring: { prometheus: { rules: ['r.yml'], alert: 'X' } } }).success).toBe(false);
  });
});
