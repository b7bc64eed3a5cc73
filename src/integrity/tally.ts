import { SeqTracker } from './seq-tracker.ts';
import { seqOfStamp, stampValue } from '../load/stamp.ts';
import type { StampFound } from './stamp-location.ts';

/** What the end of the pipeline delivered so far, counted as it arrived. */
export interface TallyCounts {
  /** Every record read from the end topic. */
  outputs: number;
  /** Distinct stamps of this run. */
  distinct: number;
  /** Deliveries of a stamp of this run already seen. */
  duplicated: number;
  /** Records with nothing where the stamp should be. */
  unstamped: number;
  /** Stamps that are not this run's: another drill's tag, or this tag with a seq never sent. Ignored. */
  foreign: number;
  /** Records whose value is not JSON although the stamp is looked for in a JSON field. */
  invalid: number;
}

/**
 * Stamps of this run in a bitmap (SeqTracker: one bit per seq, grown on demand), so a drill of
 * millions of events costs a few hundred kilobytes. A stamp is this run's only when it is spelt
 * exactly as the load writes it (`run:0x10` is not seq 16) and names a seq already sent: a forged
 * `run:9007199254740991` would otherwise ask for a petabyte bitmap.
 */
export class StampTally {
  readonly seen = new SeqTracker();
  private readonly counts = { outputs: 0, unstamped: 0, foreign: 0, invalid: 0 };

  constructor(
    private readonly runTag: string,
    /** The highest seq the load has handed out; read on every stamp, since the load is still running. */
    private readonly sentUpTo: () => number,
  ) {}

  record(found: StampFound): void {
    this.counts.outputs++;
    if (found.kind === 'missing') this.counts.unstamped++;
    else if (found.kind === 'invalid') this.counts.invalid++;
    else {
      const seq = this.seqOf(found.text);
      if (seq === undefined) this.counts.foreign++;
      else this.seen.add(seq);
    }
  }

  snapshot(): TallyCounts {
    return { ...this.counts, distinct: this.seen.distinct, duplicated: this.seen.duplicated };
  }

  private seqOf(text: string): number | undefined {
    const seq = seqOfStamp(this.runTag, text);
    if (seq === undefined || stampValue(this.runTag, seq) !== text) return undefined;
    return seq <= this.sentUpTo() ? seq : undefined;
  }
}
