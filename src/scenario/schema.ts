import { z } from 'zod';
import { durationCeilings, formatExactDuration } from '../core/duration.ts';
import type { FaultSpec } from '../faults/registry.ts';
import { detectionSchema } from './detection-schema.ts';
import { responderSchema } from '../respond/scenario-schema.ts';
import { faultSchema } from './fault-schemas.ts';
import { injectWindow } from './inject-window.ts';
import type { DrillFleet } from './fleet-ref.ts';
import type { PrometheusDetection } from './detection-rules.ts';
import { logicalName } from '../fleet/definition/fields.ts';
import { maxSetFlags, setFlag, type SetOverride } from '../fleet/release/set-flag.ts';
import { duration, rate, ruleText, shapeOf, strictObject } from '../input/fields.ts';

/**
 * One drill as a person writes it (`ScenarioInput`: durations as "20s", rates as "60/s") and as
 * the drill uses it (`ScenarioConfig`: milliseconds, defaults filled). Defaults on transformed
 * fields use `prefault` so the default goes through the same transform as written values.
 */
const scenarioSet = z
  .record(z.string().max(300), z.union([z.string().max(4096), z.number()], { error: 'expected a value: text or a number' }))
  .refine((m) => Object.keys(m).length <= maxSetFlags, `at most ${maxSetFlags} settings`)
  .default({})
  .transform((m, ctx) =>
    Object.entries(m).flatMap(([path, value]) => {
      const parsed = setFlag.safeParse(`${path}=${value}`);
      if (parsed.success) return [parsed.data];
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [path] } as never);
      return [];
    }),
  );

/** A team's fleet file (docs/fleet-format.md), relative to this scenario, with per-drill replicas. */
const fleetFileRef = strictObject({
  file: z.string().min(1, 'write the fleet file\'s path, e.g. ../fleet.yaml'),
  replicas: z.record(logicalName, z.number().int().min(1).max(32)).default({}),
  /**
   * What this drill changes in the fleet file, as `run --set` would (same paths, same checks):
   * `{ topics.orders.partitions: 10, agents.inventory.command.env.CONCURRENCY: 4 }`. The
   * command line's `--set` wins over it.
   */
  set: scenarioSet,
}).transform((f) => ({ kind: 'file' as const, ...f }));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `fleet: ../fleet.yaml`, or `fleet: { file: ../fleet.yaml, replicas: {...}, set: {...} }`. */
const fleetPath = z.string().transform((file) => ({ kind: 'file' as const, file, replicas: {} as Record<string, number>, set: [] as SetOverride[] }));
export type ScenarioFleet = z.output<typeof fleetFileRef>;
const fleet = shapeOf<ScenarioFleet>((value) => (typeof value === 'string' ? fleetPath : fleetFileRef), [fleetPath, fleetFileRef]);

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

/** Only providers this version has (src/infra/registry.ts): a name offered here must run. */
export const providerNames = ['local', 'external', 'docker', 'kubernetes'] as const;

const { drill: drillMax, baseline: baselineMax } = durationCeilings;

export const scenarioSchema = strictObject({
  // The drill id (name + 23 characters) tags every stamp of the load, which holds 100 at most.
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and "-", e.g. downstream-backlog').max(64),
  description: z.string().default(''),
  provider: z.enum(providerNames).default('local'),
  fleet,
  /** Overrides the rate of the fleet file's `load:`. */
  load: strictObject({ rate }).transform(({ rate }) => ({ ratePerSec: rate })).optional(),
  /**
   * The longest warm-up: until every consumer group has all its members and has caught up once.
   * The baseline's time starts after it, so a slow start on a busy machine is not the baseline's.
   */
  warmup: duration({ min: 1000, max: 30 * 60_000 }).prefault('2m'),
  /** How long the steady state may take to hold for its window before the fault (after warm-up). */
  baseline: duration({ min: 1000, max: baselineMax }).prefault('30s'),
  fault: faultSchema,
  /** A game day: inject at a random moment this long after the baseline held (`30s..2m`); `--inject-within` wins. */
  injectWithin: injectWindow.optional(),
  runbook: runbookRef,
  /** Overrides the runbook's `alert` block (for runbooks that have none yet). */
  alert: ruleText({ allowFor: true }).optional(),
  /** Detection by the team's own Prometheus rule, paged through Alertmanager, instead of `alert`. */
  detection: detectionSchema.optional(),
  /** Who responds once paged (`script`, the default, or `agent`) and what it may do. */
  responder: responderSchema.optional(),
  // A target past the longest time limit could never be missed, so it would test nothing.
  targets: strictObject({ detectWithin: duration({ min: 1, max: drillMax }), recoverWithin: duration({ min: 1, max: drillMax }) }).transform((t) => ({
    detectMs: t.detectWithin,
    recoverMs: t.recoverWithin,
  })),
  steadyState: strictObject({
    /** How long the conditions must hold again after the fault to count as recovered. */
    window: duration({ min: 1, max: baselineMax }),
    /**
     * How long they must hold before the fault (default: the window). A recovery window is made
     * longer than a crash loop's cycle, so one restart between crashes never counts as recovered;
     * before the fault there is no crash loop, and waiting that long again only costs the drill time.
     * Must fit in the baseline, which is at most an hour.
     */
    baselineWindow: duration({ min: 1, max: baselineMax }).optional(),
    conditions: z.array(ruleText({ allowFor: false })).min(1),
  }).transform(({ window, baselineWindow, conditions }) => ({
    windowMs: window,
    baselineWindowMs: baselineWindow ?? window,
    conditions: conditions.map((c) => c.text),
    rules: conditions.map((c) => c.rule),
  })),
  /** Detection cannot be faster than one sample; the design caps it at 250ms. */
  sampleInterval: duration({ min: 50, max: 250 }).prefault('250ms'),
  drain: duration({ max: 30 * 60_000 }).prefault('60s'),
  timeLimit: duration({ min: 1000, max: drillMax }).prefault('5m'),
})
  .superRefine((s, ctx) => {
    // Values that each fit their own bound but not each other: the drill could never judge.
    const { baselineWindowMs, windowMs } = s.steadyState;
    if (baselineWindowMs > s.baseline) {
      const key = baselineWindowMs === windowMs ? 'window' : 'baselineWindow';
      ctx.addIssue({
        code: 'custom',
        path: ['steadyState', key],
        message: `the ${key} (${formatExactDuration(baselineWindowMs)}) is longer than the baseline (${formatExactDuration(s.baseline)}), so the baseline can never hold`,
        params: { hint: `make baseline at least ${formatExactDuration(baselineWindowMs)}, or ${key === 'window' ? 'shorten the window or set a shorter baselineWindow' : 'shorten the baselineWindow'}` },
      });
    }
    if (s.targets.recoverMs > s.timeLimit) {
      ctx.addIssue({
        code: 'custom',
        path: ['targets', 'recoverWithin'],
        message: `recoverWithin (${formatExactDuration(s.targets.recoverMs)}) is past the timeLimit (${formatExactDuration(s.timeLimit)}): the drill ends before the target could be met`,
        params: { hint: `raise timeLimit to at least ${formatExactDuration(s.targets.recoverMs + s.steadyState.windowMs)} (the target plus the window), or lower recoverWithin` },
      });
    }
  })
  .transform(({ warmup, baseline, sampleInterval, drain, timeLimit, ...rest }) => ({
  ...rest,
  // Output names say their unit, so no caller mistakes them for seconds.
  warmupMs: warmup,
  baselineMs: baseline,
  sampleIntervalMs: sampleInterval,
  drainMs: drain,
  timeLimitMs: timeLimit,
}));

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioConfig = z.output<typeof scenarioSchema>;

/**
 * A loaded scenario: the normalized config, its file, the runbook path made absolute, its fleet
 * file read and checked, and the fault's target resolved against that fleet.
 */
export type Scenario = Omit<ScenarioConfig, 'fleet' | 'fault' | 'detection'> & {
  file: string;
  fleet: DrillFleet;
  fault: FaultSpec;
  /** The rule files read and the paging alert found in them. */
  detection?: { prometheus: PrometheusDetection };
};
