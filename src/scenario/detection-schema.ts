import { z } from 'zod';
import { duration, strictObject } from '../input/fields.ts';

/**
 * `detection: { prometheus: {...} }`: the drill is detected the way on-call is paged, by the
 * team's own alert rule in a real Prometheus, routed through a real Alertmanager. The intervals
 * are the team's real ones, so the drill's TTD is what their configuration costs them. A fleet
 * file may hold the monitoring side once (`monitoring: { prometheus: {...} }`: rule files and
 * intervals); a scenario then names only its alert, and what it writes itself wins.
 */
const alertName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'an alert name as Prometheus writes it: letters, digits and "_", e.g. AgentConsumerLagHigh');

const ruleFiles = z
  .array(z.string().min(1, 'write a rule file path, e.g. ../monitoring/kafka-agents.rules.yml'))
  .min(1, 'name at least one rule file, e.g. rules: [../monitoring/kafka-agents.rules.yml]')
  .max(16);

/** The settings a team's Prometheus and Alertmanager run with, as written (absent: inherited or default). */
const monitoringShape = {
  /** Rule files, relative to the file that names them (as `prometheus.yml`'s rule_files are to it). */
  rules: ruleFiles.optional(),
  // Bounds: below 250 ms Prometheus would scrape the drill's 250 ms samples twice; past 5 m a drill
  // of minutes could not see a second scrape.
  scrapeInterval: duration({ min: 250, max: 5 * 60_000 }).optional(),
  evaluationInterval: duration({ min: 250, max: 5 * 60_000 }).optional(),
  /** Alertmanager's route: how long a new alert group waits before its first notification. */
  groupWait: duration({ min: 0, max: 60 * 60_000 }).optional(),
  /** Alertmanager's route: how long before a changed group is notified again. */
  groupInterval: duration({ min: 1000, max: 60 * 60_000 }).optional(),
};

/** A fleet file's `monitoring:`; its rule files are required there. */
export const monitoringSchema = strictObject({ prometheus: strictObject({ ...monitoringShape, rules: ruleFiles }) });

export const detectionSchema = strictObject({
  prometheus: strictObject({
    ...monitoringShape,
    /** The alert that pages for this failure mode: its notification is the page. */
    alert: alertName,
  }),
});

export type MonitoringSettings = z.output<typeof monitoringSchema>['prometheus'];
export type DetectionSettings = z.output<typeof detectionSchema>['prometheus'];

/** Prometheus' and Alertmanager's own defaults: what a team runs with unless it set them. */
export const monitoringDefaults = { scrapeIntervalMs: 60_000, evaluationIntervalMs: 60_000, groupWaitMs: 30_000, groupIntervalMs: 300_000 } as const;
