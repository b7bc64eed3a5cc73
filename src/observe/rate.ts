/**
 * Per-second rate of a monotonically growing counter over a sliding window. Committed offsets
 * move in steps (auto-commit every few hundred ms), so a window of a few samples smooths the
 * steps without hiding a collapse for long.
 */
export class SlidingRate {
  private readonly points: { at: number; value: number }[] = [];

  constructor(private readonly windowMs: number) {}

  push(at: number, value: number): number {
    this.points.push({ at, value });
    while (this.points.length > 2 && at - this.points[1]!.at >= this.windowMs) this.points.shift();
    const first = this.points[0]!;
    const span = at - first.at;
    if (span <= 0) return 0;
    // A counter that went backwards (offset reset) restarts the window instead of going negative.
    if (value < first.value) {
      this.points.splice(0, this.points.length - 1);
      return 0;
    }
    return ((value - first.value) * 1000) / span;
  }
}
