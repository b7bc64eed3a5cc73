import path from 'node:path';
import { stringify } from 'yaml';
import { AgentdrillError } from '../core/errors.ts';
import { formatExactDuration } from '../core/duration.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';

/**
 * A drill replayed as a `promtool test rules` file: the series Prometheus scraped during the drill
 * as `input_series` on the scrape interval's grid, and `alert_rule_test` cases asserting that the
 * paging alert was not firing at injection and was firing, with the labels and annotations the
 * page carried, once it had fired. A team keeps it in CI beside the rule file: a change to the
 * rule that would have missed this drill (a higher threshold, a longer `for:`) fails there,
 * without Kafka.
 */
export interface PromtoolTest {
  text: string;
  /** Offsets on the test's clock (ms from the first sample). */
  injectionMs: number;
  firingMs: number;
}

export function promtoolTestFromJournal(events: readonly JournalEvent[], outFile: string, journalFile: string): PromtoolTest {
  const started = eventsOfType(events, 'drill.started')[0]?.payload;
  const detection = started?.detection;
  const fail = (message: string, hint: string) => new AgentdrillError('JOURNAL_INVALID', `${journalFile}: ${message}`, { hint });
  if (!detection) throw fail('this drill was not detected by a Prometheus rule (no detection in drill.started)', 'export promtool needs a drill run with detection.prometheus in its scenario');
  const t0 = eventsOfType(events, 'fault.injected')[0]?.at;
  const recorded = eventsOfType(events, 'prometheus.series').at(-1)?.payload;
  if (t0 === undefined || !recorded) throw fail('the journal has no injection or no recorded series', 'export a drill that injected its fault and ran to its end');
  const firing = eventsOfType(events, 'alert.firing').find((e) => e.at >= t0 && e.payload.source === 'prometheus');
  const page = eventsOfType(events, 'alert.notified').find((e) => e.at >= t0 && e.payload.status === 'firing');
  if (!firing) throw fail(`${detection.alert} never fired after injection, so there is no firing to assert`, 'export a drill whose alert fired; a missed detection is in the journal and the report');
  const intervalMs = recorded.scrapeIntervalMs;
  const origin = Math.min(...recorded.series.flatMap((s) => s.samples.map(([t]) => t)));
  if (!Number.isFinite(origin)) throw fail('the recorded series are empty', 'was Prometheus scraping the drill? its log is in the work dir');
  const end = Math.max(...recorded.series.flatMap((s) => s.samples.map(([t]) => t)));
  const slots = Math.round((end - origin) / intervalMs) + 1;
  const evalMs = detection.evaluationIntervalMs;
  // Injection: the last evaluation before it. Firing: one evaluation past the one that fired, so
  // promtool's evaluation phase (from 0) and the drill's (from Prometheus' start) may differ.
  const injectionMs = Math.max(0, Math.floor((t0 - origin) / evalMs) * evalMs);
  const firingMs = Math.ceil((firing.at - origin) / evalMs) * evalMs + evalMs;
  const alertLabels = withoutName(firing.payload.labels ?? page?.payload.labels ?? {});
  const annotations = page?.payload.annotations ?? {};
  const test = {
    rule_files: detection.ruleFiles.map((r) => relative(outFile, r.file)),
    evaluation_interval: formatExactDuration(evalMs),
    tests: [
      {
        name: `${started.scenario.name}: ${detection.alert} pages for ${started.runbook.failureMode} (drill ${started.drillId})`,
        interval: formatExactDuration(intervalMs),
        input_series: recorded.series.map((s) => ({ series: seriesText(s.labels), values: values(s.samples, origin, intervalMs, slots) })),
        alert_rule_test: [
          { eval_time: formatExactDuration(injectionMs), alertname: detection.alert, exp_alerts: [] },
          {
            eval_time: formatExactDuration(Math.min(firingMs, (slots - 1) * intervalMs)),
            alertname: detection.alert,
            exp_alerts: [{ exp_labels: alertLabels, ...(Object.keys(annotations).length ? { exp_annotations: annotations } : {}) }],
          },
        ],
      },
    ],
  };
  const header = `# promtool test rules ${path.basename(outFile)}\n# Written by agentdrill export promtool from ${path.basename(journalFile)}: drill ${started.drillId}.\n# Injection at ${formatExactDuration(injectionMs)}, ${detection.alert} firing at ${formatExactDuration(firingMs)} on this test's clock.\n`;
  return { text: header + stringify(test, { lineWidth: 0 }), injectionMs, firingMs };
}

/** `name{a="x",b="y"}` with PromQL string escapes. */
export function seriesText(labels: Record<string, string>): string {
  const { __name__: name = '', ...rest } = labels;
  const pairs = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  return `${name}{${pairs.join(',')}}`;
}

/**
 * The samples on the grid: slot k is the sample scraped nearest origin + k·interval; `_` where a
 * scrape is missing, and `stale` once a series was no longer served (as Prometheus marked it).
 */
export function values(samples: readonly [number, number][], origin: number, intervalMs: number, slots: number): string {
  const grid: (string | undefined)[] = new Array<string | undefined>(slots).fill(undefined);
  let last = -1;
  for (const [t, v] of samples) {
    const k = Math.round((t - origin) / intervalMs);
    if (k < 0 || k >= slots) continue;
    grid[k] = Number.isFinite(v) ? String(v) : '_';
    last = Math.max(last, k);
  }
  const out = grid.slice(0, last + 1).map((v) => v ?? '_');
  if (last >= 0 && last < slots - 2) out.push('stale');
  return out.join(' ');
}

function withoutName(labels: Record<string, string>): Record<string, string> {
  const { alertname: _drop, ...rest } = labels;
  return rest;
}

function relative(outFile: string, target: string): string {
  const rel = path.relative(path.dirname(path.resolve(outFile)), target);
  return rel === '' ? path.basename(target) : rel;
}
