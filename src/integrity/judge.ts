import type { SeqTracker } from './seq-tracker.ts';
import type { TallyCounts } from './tally.ts';

/** Which stamps the load got acknowledged. The harness's LoadGenerator is one. */
export interface ProducedStamps {
  /** Events the broker acknowledged. */
  readonly produced: number;
  /** The highest seq ever sent (acknowledged or not): no stamp of this run can name a later one. */
  readonly lastSeq: number;
  isProduced(seq: number): boolean;
}

/** A load that only knows a count: seqs 1..n, all acknowledged. */
export function producedUpTo(n: number): ProducedStamps {
  return { produced: n, lastSeq: n, isProduced: (seq) => Number.isSafeInteger(seq) && seq >= 1 && seq <= n };
}

interface Shared {
  produced: number;
  outputs: number;
  unstamped: number;
  foreign: number;
  /** Only when the stamp is looked for in a JSON field. */
  invalid?: number;
  /** Whether the reader reached the end topic's end offsets before it stopped. */
  readToEnd: boolean;
}

export interface StampedIntegrity extends Shared {
  mode: 'stamped';
  /** Distinct produced stamps seen at the end. */
  delivered: number;
  /** Produced stamps never seen. */
  lost: number;
  duplicated: number;
  /** Stamps seen whose send the harness saw fail (the write got through before the error): not counted as produced. */
  unacknowledged: number;
  /** The first lost seqs, for the report and for looking them up. */
  lostSample: number[];
  /** What could make these figures wrong, in words. Empty when nothing could. */
  cautions: string[];
}

/** Outputs arrived but none could be matched to an input: loss is unknown, and the figures say so with nulls. */
export interface CountsOnlyIntegrity extends Shared {
  mode: 'counts-only';
  delivered: null;
  lost: null;
  duplicated: null;
  why: string;
}

export type IntegrityResult = StampedIntegrity | CountsOnlyIntegrity;

export interface JudgeInput {
  produced: ProducedStamps;
  counts: TallyCounts;
  seen: SeqTracker;
  /** describeStampLocation(...), for the words. */
  where: string;
  withField: boolean;
  readToEnd: boolean;
}

const lostSampleSize = 10;

/**
 * Loss can be claimed only where outputs are matched to inputs. If outputs arrived but not one
 * carried this run's stamp, the agents do not carry it through: the result is counts-only, with
 * `lost: null`, never 0. Nothing arriving at all is a real loss of everything, stamped or not.
 */
export function judgeIntegrity(input: JudgeInput): IntegrityResult {
  const { counts, produced, where } = input;
  const shared: Shared = {
    produced: produced.produced,
    outputs: counts.outputs,
    unstamped: counts.unstamped,
    foreign: counts.foreign,
    ...(input.withField ? { invalid: counts.invalid } : {}),
    readToEnd: input.readToEnd,
  };
  const candidates = counts.outputs - counts.foreign;
  if (counts.distinct === 0 && candidates > 0) {
    const notJson = input.withField && counts.invalid > 0 ? ` (${counts.invalid} of them not JSON)` : '';
    const why =
      `none of the ${candidates} output(s) read from the end topic${notJson} carried this drill's stamp in ${where}, ` +
      `so they cannot be matched to the ${produced.produced} produced events and loss is unknown; ` +
      'make the agents pass the stamp on, or point integrity.match at where they do carry it (header, key or JSON field) and stamp it there with load.stamp';
    return { ...shared, mode: 'counts-only', delivered: null, lost: null, duplicated: null, why };
  }
  const { delivered, lostSample } = compare(produced, input.seen);
  const lost = produced.produced - delivered;
  return {
    ...shared,
    mode: 'stamped',
    delivered,
    lost,
    duplicated: counts.duplicated,
    unacknowledged: counts.distinct - delivered,
    lostSample,
    cautions: cautions(input, lost),
  };
}

/** One pass over the seqs sent: both sets are bitmaps, so this is linear in the drill's events. */
function compare(produced: ProducedStamps, seen: SeqTracker): { delivered: number; lostSample: number[] } {
  let delivered = 0;
  const lostSample: number[] = [];
  const upTo = Math.max(produced.lastSeq, seen.maxSeq);
  for (let seq = 1; seq <= upTo; seq++) {
    if (!produced.isProduced(seq)) continue;
    if (seen.has(seq)) delivered++;
    else if (lostSample.length < lostSampleSize) lostSample.push(seq);
  }
  return { delivered, lostSample };
}

function cautions(input: JudgeInput, lost: number): string[] {
  const { counts, where } = input;
  const out: string[] = [];
  if (!input.readToEnd) out.push('the end topic was not read up to its end offsets before the reader stopped: outputs written late may be counted as lost');
  if (lost > 0 && counts.unstamped > 0) out.push(`${counts.unstamped} output(s) carried no stamp in ${where}: if they stand for lost events, the loss is overstated`);
  if (lost > 0 && input.withField && counts.invalid > 0) out.push(`${counts.invalid} output(s) were not JSON, so their stamp could not be read`);
  if (counts.outputs === 0 && input.produced.produced > 0) out.push('nothing at all reached the end topic: check that integrity.topic is where the pipeline ends');
  return out;
}
