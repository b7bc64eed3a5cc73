import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
