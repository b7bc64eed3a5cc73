import type { Sample } from '../observe/sample.ts';
import { evaluateConditions, type Evaluation } from './evaluate.ts';
import type { Condition } from './rule.ts';

export interface SteadyStateUpdate extends Evaluation {
  /** First sample of the current holding run, once that run has lasted the whole window. */
  windowStartAt: number | undefined;
  /** The sample at which the run first reached the window. */
  confirmedAt: number | undefined;
  /** True only on the sample that confirmed the window, so callers journal it once. */
  newlyConfirmed: boolean;
}

/**
 * The steady state over time: every condition must hold at every sample of a run lasting at
 * least `windowMs` (first `at` + window <= current `at`). A failing sample starts over.
 */
export class SteadyStateTracker {
  private runStart: number | undefined;
  private confirmed: { windowStartAt: number; confirmedAt: number } | undefined;

  constructor(
    readonly conditions: readonly Condition[],
    readonly windowMs: number,
  ) {}

  feed(at: number, sample: Sample): SteadyStateUpdate {
    const evaluation = evaluateConditions(this.conditions, sample);
    let newlyConfirmed = false;
    if (!evaluation.holds) {
      this.runStart = undefined;
      this.confirmed = undefined;
    } else {
      this.runStart ??= at;
      if (!this.confirmed && this.runStart + this.windowMs <= at) {
        this.confirmed = { windowStartAt: this.runStart, confirmedAt: at };
        newlyConfirmed = true;
      }
    }
    return {
      ...evaluation,
      windowStartAt: this.confirmed?.windowStartAt,
      confirmedAt: this.confirmed?.confirmedAt,
      newlyConfirmed,
    };
  }

  /** Forget the current run, e.g. at fault injection, so a pre-fault run cannot count as recovery. */
  reset(): void {
    this.runStart = undefined;
    this.confirmed = undefined;
  }
}
