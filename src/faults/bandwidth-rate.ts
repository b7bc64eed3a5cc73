/**
 * Bandwidth limits as scenarios write them: `64KB/s`, `1.5MB/s`, `1GB/s`, or a bare number of
 * KB/s. Toxiproxy's `bandwidth` toxic counts a KB as 1000 bytes (its rate is bytes per
 * millisecond) and takes a whole number, so the units here are decimal and the result an integer;
 * unlike leak rates (memory-rate.ts), which are MiB to compare with the rule grammar's sizes.
 */
const unitKb: Record<string, number> = { kb: 1, mb: 1000, gb: 1_000_000 };

/**
 * Toxiproxy forwards far less than this through one proxy on loopback, so a higher limit would
 * limit nothing; a rate of 0 would mean "no limit" to Toxiproxy, hence the floor of 1.
 */
export const bandwidthRange = { minKbPerSec: 1, maxKbPerSec: 10_000_000 } as const;

export type BandwidthParse = { ok: true; kbPerSec: number } | { ok: false; reason: 'not-a-rate' | 'fraction' | 'out-of-range' };

/** KB per second (decimal), checked against what Toxiproxy can take. */
export function parseKbPerSec(value: string | number): BandwidthParse {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m = /^(\d+(?:\.\d+)?)\s*(?:(kb|mb|gb)\s*\/\s*s)?$/i.exec(text);
  if (!m || (typeof value === 'number' && !Number.isFinite(value))) return { ok: false, reason: 'not-a-rate' };
  const kb = Number(m[1]) * unitKb[(m[2] ?? 'kb').toLowerCase()]!;
  const rounded = Math.round(kb);
  // 1.1MB/s is 1100.0000000000002 in floating point: whole within rounding error counts as whole.
  if (Math.abs(kb - rounded) > 1e-6 * Math.max(1, kb)) return { ok: false, reason: 'fraction' };
  if (rounded < bandwidthRange.minKbPerSec || rounded > bandwidthRange.maxKbPerSec) return { ok: false, reason: 'out-of-range' };
  return { ok: true, kbPerSec: rounded };
}

/** `64KB/s`, `1.5MB/s`, `2GB/s`: lossless (parseKbPerSec reads it back), for progress lines and reports. */
export function formatKbPerSec(kb: number): string {
  if (kb >= 1_000_000 && kb % 1000 === 0) return `${kb / 1_000_000}GB/s`;
  if (kb >= 1000) return `${kb / 1000}MB/s`;
  return `${kb}KB/s`;
}
