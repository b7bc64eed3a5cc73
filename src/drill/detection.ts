import { evaluateCondition, parseRule, RuleTracker, SteadyStateTracker, type Rule } from '../detect/index.ts';
import { AgentdrillError } from '../core/errors.ts';
import type { Sample } from '../observe/sample.ts';
import type { Detection } from './monitor.ts';

/**
 * The drill's view of src/detect: the alert rule and the steady state, as trackers. Without an
 * alert rule the drill is paged from outside (Prometheus and Alertmanager, DrillMonitor.page) and
 * the samples never fire an alert themselves.
 */
export function ruleDetection(alertRule: Rule | undefined, steadyRules: readonly Rule[]): Detection {
  const conditions = steadyRules.flatMap((r) => r.conditions);
  return {
    alert() {
      if (alertRule === undefined) return { feed: () => undefined, reset: () => undefined };
      const tracker = new RuleTracker(alertRule);
      return {
        feed: (at: number, sample: Sample) => tracker.feed(at, sample).transition?.type,
        reset: () => tracker.reset(),
      };
    },
    steady(windowMs: number) {
      const tracker = new SteadyStateTracker(conditions, windowMs);
      return {
        feed: (at: number, sample: Sample) => tracker.feed(at, sample),
        reset: () => tracker.reset(),
      };
    },
  };
}

/** For `agentdrill ctl wait`: evaluates a condition typed at a terminal or in a runbook step. */
export function evaluateRuleText(text: string, sample: Sample): { holds: boolean; failing: string[] } {
  const parsed = parseRule(text);
  if (!parsed.ok) {
    throw new AgentdrillError('RULE_INVALID', `cannot parse "${text}": ${parsed.error.message}`, { hint: parsed.error.hint });
  }
  const { holds, failing } = evaluateCondition(parsed.rule, sample);
  return { holds, failing };
}
