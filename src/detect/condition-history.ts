import type { ConditionOutcome } from './evaluate.ts';

const keep = 5;

/**
 * What each steady-state condition did over a phase: its last few values, how often it failed,
 * and the longest run in which all held. When a baseline never holds, this is the evidence the
 * verdict quotes ("lag(group=inventory) < 60 failed 92 of 160 samples, last 88, 95, 71").
 */
export class ConditionHistory {
  private readonly byCondition = new Map<string, { lastValues: (number | null)[]; failedSamples: number; samples: number }>();
  private runStart: number | undefined;
  private longestHoldMs = 0;

  feed(at: number, outcomes: readonly ConditionOutcome[]): void {
    let all = outcomes.length > 0;
    for (const o of outcomes) {
      const h = this.byCondition.get(o.condition) ?? { lastValues: [], failedSamples: 0, samples: 0 };
      h.samples++;
      if (!o.holds) h.failedSamples++;
      h.lastValues.push(o.value === undefined || !Number.isFinite(o.value) ? null : round(o.value));
      if (h.lastValues.length > keep) h.lastValues.shift();
      this.byCondition.set(o.condition, h);
      all &&= o.holds;
    }
    if (!all) {
      this.runStart = undefined;
      return;
    }
    this.runStart ??= at;
    this.longestHoldMs = Math.max(this.longestHoldMs, at - this.runStart);
  }

  summary(): { longestHoldMs: number; failing: { condition: string; lastValues: (number | null)[]; failedSamples: number; samples: number }[] } {
    const failing = [...this.byCondition.entries()]
      .filter(([, h]) => h.failedSamples > 0)
      .map(([condition, h]) => ({ condition, ...h, lastValues: [...h.lastValues] }));
    return { longestHoldMs: this.longestHoldMs, failing };
  }
}

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);
