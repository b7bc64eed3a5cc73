/**
 * Fulfillment's in-memory profile cache. Entries expire by the TTL in force when the sweep runs,
 * so shortening the TTL (the resource-exhaustion runbook's fix) frees memory at the next sweep.
 * Insertion order is age order, so a sweep stops at the first entry still fresh.
 */
export class ProfileCache<V> {
  private readonly entries = new Map<string, { at: number; value: V }>();

  get size(): number {
    return this.entries.size;
  }

  get(key: string, now: number, ttlMs: number): V | undefined {
    const entry = this.entries.get(key);
    return entry && now - entry.at <= ttlMs ? entry.value : undefined;
  }

  set(key: string, value: V, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { at: now, value });
  }

  /** `onEvict` sees each evicted value, so the agent can tell how much memory a sweep freed. */
  sweep(now: number, ttlMs: number, onEvict?: (value: V) => void): number {
    let evicted = 0;
    for (const [key, entry] of this.entries) {
      if (now - entry.at <= ttlMs) break;
      this.entries.delete(key);
      onEvict?.(entry.value);
      evicted++;
    }
    return evicted;
  }

  clear(): number {
    const n = this.entries.size;
    this.entries.clear();
    return n;
  }
}
