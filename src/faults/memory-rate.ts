/**
 * Leak rates as scenarios write them: `4MB/s`, `512KB/s`, `1.5MB/s`, or a bare number of MB/s.
 * MB means MiB, as in the rule grammar (`rss(agent=fulfillment) > 140MB`), so a rate and a
 * threshold in the same scenario can be compared directly.
 */
const unitMb: Record<string, number> = { kb: 1 / 1024, mb: 1, gb: 1024 };

/** MB per second, or undefined when the text is not a positive rate. */
export function parseMbPerSec(value: string | number): number | undefined {
  if (typeof value === 'number') return value > 0 && Number.isFinite(value) ? value : undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(kb|mb|gb)?\s*\/\s*s$/i.exec(value.trim()) ?? /^(\d+(?:\.\d+)?)$/.exec(value.trim());
  if (!m) return undefined;
  const mb = Number(m[1]) * unitMb[(m[2] ?? 'mb').toLowerCase()]!;
  return mb > 0 && Number.isFinite(mb) ? mb : undefined;
}

/** `4MB/s`, for progress lines and reports. */
export function formatMbPerSec(mb: number): string {
  return mb >= 1 ? `${Number(mb.toFixed(2))}MB/s` : `${Number((mb * 1024).toFixed(1))}KB/s`;
}
