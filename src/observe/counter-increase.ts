/**
 * How much a counter summed over several instances has grown, with resets taken per instance
 * as Prometheus' rate() takes them: a value below the instance's previous one means it
 * restarted from zero, so all of the new value is growth. Summing first and then looking for
 * drops would be wrong both ways: one of two scorers restarting drops the sum without anything
 * having gone backwards, and a scale-down drops it without any reset at all.
 *
 * The total only grows, so a sliding rate over it is never negative. An instance's first value
 * is where counting starts (as for a series Prometheus has just discovered); its previous value
 * is kept while it is away, so a restart under the same id is seen as the reset it is.
 */
export class CounterIncrease {
  private readonly previous = new Map<string, number>();
  private total = 0;

  /** One instance's value of the counter, as its endpoint just answered. */
  observe(instance: string, value: number): void {
    // NaN or an infinity is no count; it must not poison the total for the rest of the drill.
    if (!Number.isFinite(value)) return;
    const before = this.previous.get(instance);
    // After a reset the counter started again from zero; a negative value (a gauge) adds nothing.
    if (before !== undefined) this.total += value >= before ? value - before : Math.max(0, value);
    this.previous.set(instance, value);
  }

  /** Growth since counting started, summed over instances. */
  get increase(): number {
    return this.total;
  }
}
