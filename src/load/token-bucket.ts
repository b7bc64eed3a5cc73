/**
 * Token-bucket pacing for the load generator: tokens accrue at `rate` per second up to a quarter second's worth;
 * each tick sends the whole tokens it holds. Small frequent batches keep 200/s smooth, and the
 * cap stops a stalled producer from bursting everything it "owes" at once afterwards.
 */
export interface Bucket {
  tokens: number;
  at: number;
}

export function newBucket(now: number): Bucket {
  return { tokens: 0, at: now };
}

/** Adds the tokens earned since the last call and takes the whole ones (at most `maxTake`). */
export function takeTokens(bucket: Bucket, now: number, rate: number, maxTake = Infinity): { bucket: Bucket; take: number } {
  const burst = Math.max(2, rate * 0.25);
  const elapsed = Math.max(0, now - bucket.at) / 1000;
  const tokens = Math.min(burst, bucket.tokens + Math.max(0, rate) * elapsed);
  // The epsilon keeps 10 × 0.1 tokens from being 0.999… and silently losing an event.
  const take = Math.min(Math.floor(tokens + 1e-9), maxTake);
  return { bucket: { tokens: Math.max(0, tokens - take), at: now }, take };
}
