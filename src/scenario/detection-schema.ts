import { z } from 'zod';
import { duration, strictObject } from '../input/fields.ts';

/**
 * `detection: { prometheus: {...} }`: the drill is detected the way on-call is paged, by the
 * team's own alert rule in a real Prometheus, routed through a real Alertmanager. The intervals
 * are the team's real ones (their defaults are Prometheus' and Alertmanager's), so the drill's
 * TTD is what their configuration costs them.
 */
const alertName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'an alert name as Prometheus writes it: letters, digits and "_", e.g. AgentConsumerLagHigh');

const prometheus = strictObject({
  /** Rule files, relative to this scenario (as `prometheus.yml`'s rule_files are to it). */
  rules: z
    .array(z.string().min(1, 'write a rule file path, e.g. ../monitoring/kafka-agents.rules.yml'))
    .min(1, 'name at least one rule file, e.g. rules: [../monitoring/kafka-agents.rules.yml]')
    .max(16),
  /** The alert that pages for this failure mode: its notification is the page. */
  alert: alertName,
  // Bounds: below 250 ms Prometheus would scrape the drill's 250 ms samples twice; past 5 m a drill
  // of minutes could not see a second scrape.
  scrapeInterval: duration({ min: 250, max: 5 * 60_000 }).prefault('1m'),
  evaluationInterval: duration({ min: 250, max: 5 * 60_000 }).prefault('1m'),
  /** Alertmanager's route: how long a new alert group waits before its first notification. */
  groupWait: duration({ min: 0, max: 60 * 60_000 }).prefault('30s'),
  /** Alertmanager's route: how long before a changed group is notified again. */
  groupInterval: duration({ min: 1000, max: 60 * 60_000 }).prefault('5m'),
}).transform((p) => ({
  ruleFiles: p.rules,
  alert: p.alert,
  scrapeIntervalMs: p.scrapeInterval,
  evaluationIntervalMs: p.evaluationInterval,
  groupWaitMs: p.groupWait,
  groupIntervalMs: p.groupInterval,
}));

export const detectionSchema = strictObject({ prometheus }).transform((d) => ({ prometheus: d.prometheus }));

export type PrometheusDetectionConfig = z.output<typeof prometheus>;
