import type { PrometheusDetectionRecord } from '../../core/events.ts';
import type { Journal } from '../../core/journal.ts';
import type { PrometheusApi } from './api.ts';

/**
 * After the drill, from Prometheus' own data: when the expression first had a result (a sample
 * over the threshold), and the raw series it read. Both are journaled; the score and the
 * promtool export read them from there.
 */
export async function recordThreshold(o: { api: PrometheusApi; detection: PrometheusDetectionRecord; journal: Journal; t0: number; endAt: number }): Promise<void> {
  const { detection } = o;
  // Finer than a scrape. The crossing sample arrived after the last step without a result and by
  // the first with one: it is placed at the earlier end, so it never comes after the evaluation
  // that saw it (pending).
  const step = Math.max(100, Math.floor(detection.scrapeIntervalMs / 10));
  const result = await o.api.queryRange(detection.expr, o.t0, o.endAt, step);
  let first: { at: number; value: number } | undefined;
  for (const s of result) {
    const v = s.values[0];
    if (!v) continue;
    const at = Math.round(v[0] * 1000);
    if (first === undefined || at < first.at) first = { at, value: Number(v[1]) };
  }
  if (!first) return;
  const at = Math.max(o.t0, first.at - step);
  o.journal.record('alert.threshold', { alert: detection.alert, expr: detection.expr, value: Number.isFinite(first.value) ? first.value : null }, at);
}

/** Identifiers in PromQL that may be metric names (functions, keywords and labels are filtered by asking Prometheus). */
export function candidateNames(expr: string): string[] {
  // Label values and strings are quoted; drop them so a value like "lag" is not taken for a name.
  const unquoted = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ');
  return [...new Set(unquoted.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [])].slice(0, 64);
}

/** The series behind the alert's expression, every raw sample from `fromMs` (unix ms, value). */
export async function recordAlertSeries(o: { api: PrometheusApi; detection: PrometheusDetectionRecord; journal: Journal; fromMs: number; endAt: number }): Promise<void> {
  const names = (await o.api.existingNames(candidateNames(o.detection.expr))).filter((n) => n !== 'ALERTS' && n !== 'ALERTS_FOR_STATE');
  const series: { labels: Record<string, string>; samples: [number, number][] }[] = [];
  for (const name of names) {
    for (const s of await o.api.rawSamples(`{__name__="${name}"}`, o.fromMs, o.endAt)) {
      series.push({ labels: s.metric, samples: s.values.map(([t, v]) => [Math.round(t * 1000), Number(v)] as [number, number]) });
    }
  }
  o.journal.record('prometheus.series', { alert: o.detection.alert, scrapeIntervalMs: o.detection.scrapeIntervalMs, series }, o.endAt);
}
