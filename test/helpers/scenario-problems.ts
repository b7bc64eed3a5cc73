import { expect } from 'vitest';
import { AgentdrillError, type Problem } from '../../src/core/errors.ts';
import { validateScenarioText } from '../../src/scenario/validate.ts';

/** The problems a scenario text is rejected with; fails the test when it is accepted or fails otherwise. */
export function scenarioProblems(text: string, file: string): Problem[] {
  try {
    validateScenarioText(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(AgentdrillError);
    expect((e as AgentdrillError).code).toBe('SCENARIO_INVALID');
    return [...(e as AgentdrillError).problems];
  }
  throw new Error('the scenario was accepted');
}
