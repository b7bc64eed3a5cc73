import type { Sample } from '../observe/sample.ts';
import { evaluateCondition, type Evaluation } from './evaluate.ts';
import type { Rule } from './rule.ts';

export type RuleTransition =
  | { type: 'firing'; at: number; value: number | undefined }
  | { type: 'resolved'; at: number };

export interface RuleTrackerUpdate extends Evaluation {
  firing: boolean;
  transition: RuleTransition | undefined;
}

/**
 * An alert rule over time. With `for D`, it fires at the first sample `at` where every sample
 * since the start of the current holding run held and `runStart + D <= at`, as Prometheus'
 * `for` does; it resolves at the first sample that does not hold. Samples must arrive in time order.
 */
export class RuleTracker {
  private runStart: number | undefined;
  private firingSince: number | undefined;

  constructor(readonly rule: Rule) {}

  get firing(): boolean {
    return this.firingSince !== undefined;
  }

  /** When the current firing began, if the rule is firing. */
  get firingAt(): number | undefined {
    return this.firingSince;
  }

  feed(at: number, sample: Sample): RuleTrackerUpdate {
    const evaluation = evaluateCondition(this.rule, sample);
    let transition: RuleTransition | undefined;
    if (!evaluation.holds) {
      this.runStart = undefined;
      if (this.firingSince !== undefined) {
        this.firingSince = undefined;
        transition = { type: 'resolved', at };
      }
    } else {
      this.runStart ??= at;
      if (this.firingSince === undefined && this.runStart + (this.rule.forMs ?? 0) <= at) {
        this.firingSince = at;
        transition = { type: 'firing', at, value: evaluation.outcomes[0]?.value };
      }
    }
    return { ...evaluation, firing: this.firing, transition };
  }

  reset(): void {
    this.runStart = undefined;
    this.firingSince = undefined;
  }
}
