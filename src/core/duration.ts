/** Durations as people write them in scenarios and runbooks: 250ms, 10s, 2m, 1h, 1m30s. */
const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const durationPattern = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const partPattern = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!durationPattern.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(partPattern)) total += Number(m[1]) * (unitMs[m[2]!] ?? 0);
  return total;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m${String(s).padStart(2, '0')}s`;
}
