/**
 * The harness's own load for any fleet, as the harness uses it: names already resolved to the
 * drill's real topic, rates as numbers. The fleet file's `load:` section (zod, written by the
 * definition code) turns into this; tests and other callers build it directly.
 */
export interface LoadSpec {
  /** The real topic name (drill prefix applied). */
  topic: string;
  /** Events per second; 0 < rate <= loadLimits.maxRatePerSec. */
  ratePerSec: number;
  /** The drill's tag: every stamp is `<runTag>:<seq>`, so other drills' events never count. */
  runTag: string;
  /** Absent: records without a key (the producer spreads them over partitions). */
  key?: LoadKey;
  value: LoadValue;
  stamp?: StampPlacement;
}

export type LoadKey =
  /** A per-event template (src/load/event-template.ts), e.g. `order-{{seq}}`. */
  | { template: string }
  /** A dotted field of each sample event (only with `value.samples`), e.g. `customer.id`. */
  | { sampleField: string };

export type LoadValue =
  | { template: string }
  /** A JSON Lines file of recorded events, replayed in order and cycled. */
  | { samples: string };

/**
 * The stamp always travels in a header. Agents that drop headers can still be matched when the
 * stamp also rides in the key (replacing `key`) or in a field of the JSON value they pass on.
 */
export interface StampPlacement {
  /** Default `agentdrill-stamp`. */
  header?: string;
  key?: boolean;
  /** A dotted path in the JSON value, e.g. `meta.drillSeq`; the value must be a JSON object. */
  field?: string;
}

export const defaultStampHeader = 'agentdrill-stamp';

export const loadLimits = {
  /** One harness process keeps this up with room to spare; far beyond it the load only lags. */
  maxRatePerSec: 20_000,
  /** A sample is a few thousand recorded events; past this it is a data set. */
  sampleBytes: 16 * 1024 * 1024,
  sampleLines: 100_000,
  /** Bounds a tag's share of every header, key and field it is written to. */
  runTagChars: 100,
} as const;

/** Same alphabet as the fleet file's header names, so one spelling works in both places. */
export const headerNamePattern = /^[A-Za-z0-9._-]{1,100}$/;
export const runTagPattern = /^[A-Za-z0-9._-]+$/;
