import { z } from 'zod';
import { faultSchema } from './fault-schemas.ts';
import { duration, rate, ruleText, strictObject } from './fields.ts';

/**
 * One drill as a person writes it (`ScenarioInput`: durations as "20s", rates as "60/s") and as
 * the drill uses it (`ScenarioConfig`: milliseconds, defaults filled). Defaults on transformed
 * fields use `prefault` so the default goes through the same transform as written values.
 */
const agent = strictObject({
  replicas: z.number().int().min(1).max(32).default(1),
  /** In-flight inventory API calls per instance. */
  concurrency: z.number().int().min(1).max(1024).optional(),
  /** V8 old-space limit in MB. */
  heapMb: z.number().int().min(16).max(65_536).optional(),
}).prefault({});

const fleet = strictObject({
  partitions: z.number().int().min(1).max(256).default(6),
  agents: strictObject({ inventory: agent, decision: agent, fulfillment: agent, sink: agent }).prefault({}),
}).prefault({});

/** `path/to/runbook.md#failure-mode`: `file` as written here, resolved by the loader. */
const runbookRef = z.string({ error: 'expected a runbook reference such as ../runbooks/order-pipeline.md#downstream-backlog' }).transform((ref, ctx) => {
  const hash = ref.lastIndexOf('#');
  const file = (hash < 0 ? ref : ref.slice(0, hash)).trim();
  const failureMode = hash < 0 ? '' : ref.slice(hash + 1).trim();
  if (!file || !failureMode) {
    ctx.addIssue({
      code: 'custom',
      message: `runbook reference "${ref}" needs a file and a #failure-mode`,
      params: { hint: 'write the runbook path and the failure mode heading id: ../runbooks/order-pipeline.md#downstream-backlog' },
    });
    return z.NEVER;
  }
  return { ref, file, failureMode };
});

export const providerNames = ['local', 'external', 'docker', 'kubernetes'] as const;

export const scenarioSchema = strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and "-", e.g. downstream-backlog'),
  description: z.string().default(''),
  provider: z.enum(providerNames).default('local'),
  fleet,
  load: strictObject({ rate }).transform(({ rate }) => ({ ratePerSec: rate })),
  /** How long the steady state may take to hold for its window before the fault. */
  baseline: duration({ min: 1000 }).prefault('30s'),
  fault: faultSchema,
  runbook: runbookRef,
  /** Overrides the runbook's `alert` block (for runbooks that have none yet). */
  alert: ruleText({ allowFor: true }).optional(),
  targets: strictObject({ detectWithin: duration({ min: 1 }), recoverWithin: duration({ min: 1 }) }).transform((t) => ({
    detectMs: t.detectWithin,
    recoverMs: t.recoverWithin,
  })),
  steadyState: strictObject({
    window: duration({ min: 1 }),
    conditions: z.array(ruleText({ allowFor: false })).min(1),
  }).transform(({ window, conditions }) => ({
    windowMs: window,
    conditions: conditions.map((c) => c.text),
    rules: conditions.map((c) => c.rule),
  })),
  /** Detection cannot be faster than one sample; the design caps it at 250ms. */
  sampleInterval: duration({ min: 50, max: 250 }).prefault('250ms'),
  drain: duration({ max: 30 * 60_000 }).prefault('60s'),
  timeLimit: duration({ min: 1000, max: 6 * 3_600_000 }).prefault('5m'),
}).transform(({ baseline, sampleInterval, drain, timeLimit, ...rest }) => ({
  ...rest,
  // Output names say their unit, so no caller mistakes them for seconds.
  baselineMs: baseline,
  sampleIntervalMs: sampleInterval,
  drainMs: drain,
  timeLimitMs: timeLimit,
}));

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioConfig = z.output<typeof scenarioSchema>;

/** A loaded scenario: the normalized config, its file, and the runbook path made absolute. */
export type Scenario = ScenarioConfig & { file: string };
