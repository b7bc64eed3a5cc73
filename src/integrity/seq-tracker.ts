/**
 * Which sequence numbers reached the sink: one bit per seq in a bitmap grown on demand, so a
 * long drill at 200/s costs kilobytes. `received - distinct` counts redeliveries.
 */
export class SeqTracker {
  private bits: Uint8Array;
  received = 0;
  distinct = 0;
  maxSeq = 0;

  constructor(initial?: { bits: Uint8Array; received: number }) {
    this.bits = initial ? initial.bits.slice() : new Uint8Array(1024);
    if (initial) {
      this.received = initial.received;
      for (let seq = 1; seq < this.bits.length * 8; seq++) {
        if (this.has(seq)) {
          this.distinct++;
          this.maxSeq = seq;
        }
      }
    }
  }

  /** Records one delivery; answers whether it was the first for this seq. */
  add(seq: number): boolean {
    if (!Number.isSafeInteger(seq) || seq < 1) return false;
    this.received++;
    const byte = seq >>> 3;
    if (byte >= this.bits.length) this.grow(byte + 1);
    const mask = 1 << (seq & 7);
    if (this.bits[byte]! & mask) return false;
    this.bits[byte]! |= mask;
    this.distinct++;
    if (seq > this.maxSeq) this.maxSeq = seq;
    return true;
  }

  has(seq: number): boolean {
    const byte = seq >>> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (seq & 7))) !== 0;
  }

  get duplicated(): number {
    return this.received - this.distinct;
  }

  /** The bitmap trimmed to maxSeq, for persisting and for merging across sink instances. */
  snapshot(): { bits: Uint8Array; received: number } {
    return { bits: this.bits.slice(0, (this.maxSeq >>> 3) + 1), received: this.received };
  }

  private grow(minBytes: number): void {
    let size = this.bits.length;
    while (size < minBytes) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bits);
    this.bits = next;
  }
}

/** Distinct seqs in 1..upTo over the union of several bitmaps (sink replicas). */
export function countUnion(bitmaps: readonly Uint8Array[], upTo: number): number {
  let count = 0;
  const bytes = (upTo >>> 3) + 1;
  for (let i = 0; i < bytes; i++) {
    let byte = 0;
    for (const b of bitmaps) byte |= b[i] ?? 0;
    if (i === 0) byte &= 0xfe; // seq 0 does not exist
    if (i === bytes - 1) byte &= (1 << ((upTo & 7) + 1)) - 1;
    count += popcount(byte);
  }
  return count;
}

function popcount(byte: number): number {
  let n = 0;
  for (let b = byte; b; b &= b - 1) n++;
  return n;
}
