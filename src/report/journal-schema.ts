import { z } from 'zod';
import type { EventType } from '../core/events.ts';

/**
 * The shape of what the renderers and the scorer read from each event of core/events.ts, for
 * journals read back from disk. Objects are loose (a newer drill may add fields; nothing here
 * reads them), but every field a report or score uses is checked, and every time is a bounded,
 * finite number: a timestamp near 1e308 makes `new Date()` throw and axis arithmetic overflow.
 */

/** The largest time a JavaScript Date can hold: ±100 000 000 days around 1970. */
export const maxEpochMs = 8.64e15;

const epochRange = { error: 'must be a time in epoch milliseconds, from 0 (1970) to 8.64e15 (the latest a Date can hold)' };
const durationRange = { error: 'must be a duration in milliseconds, from 0 to 8.64e15' };
const epochMs = z.number().min(0, epochRange).max(maxEpochMs, epochRange);
const durationMs = z.number().min(0, durationRange).max(maxEpochMs, durationRange);
const count = z.number().min(0);
/** A sampled figure: the sampler writes NaN (null in JSON) for a value it failed to read. */
const figure = z.number().nullable();
const verdict = z.enum(['passed', 'failed', 'inconclusive', 'error']);
const maxDepth = 32;
// Reports print details as JSON; a value nested a million levels deep overflows the stack there.
const details = z.record(z.string(), z.unknown()).refine(nestedAtMost(maxDepth), { error: `must be nested at most ${maxDepth} levels deep` });

/** Prometheus label sets and annotations: names to text. */
const labelSet = z.record(z.string(), z.string());

const integrity = z.looseObject({ produced: count, processed: count.nullable(), lost: count.nullable(), duplicated: count.nullable(), invalid: count });

const machineLoad = z.looseObject({ cpus: count, loadAvg1: z.number(), loadAvg5: z.number(), stealPct: z.number().nullable(), busyPct: z.number().nullable() });

/** An agent's drilled release (fleet/release/agent-version.ts); reports print it, so it is bounded text. */
const agentVersion = z.looseObject({ version: z.string().max(1000).nullable(), from: z.string().nullable(), image: z.string().optional() });

const stepBase = { name: z.string(), section: z.string(), command: z.string().optional(), manual: z.boolean() };

const payloads: Record<EventType, z.ZodType> = {
  'drill.started': z.looseObject({
    drillId: z.string(),
    scenario: z.looseObject({ name: z.string(), file: z.string(), checksum: z.string(), description: z.string().optional() }),
    runbook: z.looseObject({ file: z.string(), failureMode: z.string(), checksum: z.string(), gitRevision: z.string().optional() }),
    fleet: z
      .looseObject({
        name: z.string(),
        file: z.string(),
        checksum: z.string(),
        gitRevision: z.string().optional(),
        ratePerSec: z.number(),
        replicas: z.record(z.string(), count),
        // Absent in journals written before the release gate.
        versions: z.record(z.string(), agentVersion).optional(),
        overrides: z.array(z.looseObject({ path: z.string(), value: z.string() })).optional(),
      })
      .optional(),
    targets: z.looseObject({ detectMs: durationMs, recoverMs: durationMs }),
    steadyState: z.looseObject({ conditions: z.array(z.string()), windowMs: durationMs, baselineWindowMs: durationMs.optional() }),
    alertRule: z.string(),
    detection: z
      .looseObject({
        kind: z.literal('prometheus'),
        alert: z.string(),
        expr: z.string(),
        forMs: durationMs,
        labels: labelSet,
        annotations: labelSet,
        ruleFiles: z.array(z.looseObject({ file: z.string(), checksum: z.string() })),
        scrapeIntervalMs: durationMs,
        evaluationIntervalMs: durationMs,
        groupWaitMs: durationMs,
        groupIntervalMs: durationMs,
      })
      .optional(),
    sampleIntervalMs: durationMs,
    provider: z.string(),
    versions: z.record(z.string(), z.string()),
  }),
  'phase.started': z.looseObject({ phase: z.string() }),
  sample: z.looseObject({
    groups: z.record(
      z.string(),
      z.looseObject({ lag: figure, throughput: figure, committed: figure.optional(), state: z.string().optional(), members: count.optional() }),
    ),
    agents: z.record(z.string(), z.looseObject({ agent: z.string(), rssBytes: figure, up: z.boolean() })),
    counters: z.record(z.string(), figure).optional(),
  }),
  'steady.evaluated': z.looseObject({ holds: z.boolean(), failing: z.array(z.string()) }),
  'baseline.healthy': z.looseObject({ windowStartAt: epochMs }),
  'warmup.finished': z.looseObject({
    ok: z.boolean(),
    durationMs,
    limitMs: durationMs,
    groups: z.record(
      z.string(),
      z.looseObject({ members: count.nullable(), expectedMembers: count, state: z.string().nullable(), lag: figure, caughtUp: z.boolean(), ready: z.boolean() }),
    ),
    load: machineLoad,
  }),
  'baseline.unhealthy': z.looseObject({
    baselineMs: durationMs,
    windowMs: durationMs,
    longestHoldMs: durationMs,
    failing: z.array(z.looseObject({ condition: z.string(), lastValues: z.array(figure), failedSamples: count, samples: count })),
    load: machineLoad,
  }),
  'fault.injected': z.looseObject({ fault: z.string(), description: z.string().optional(), detail: details }),
  'fault.removed': z.looseObject({ fault: z.string() }),
  'alert.firing': z.looseObject({ rule: z.string(), value: figure.optional(), source: z.literal('prometheus').optional(), labels: labelSet.optional() }),
  'alert.resolved': z.looseObject({ rule: z.string(), source: z.literal('prometheus').optional() }),
  'alert.threshold': z.looseObject({ alert: z.string(), expr: z.string(), value: figure }),
  'alert.pending': z.looseObject({ alert: z.string(), labels: labelSet, value: figure }),
  'alert.notified': z.looseObject({ alert: z.string(), status: z.string(), receiver: z.string(), labels: labelSet, annotations: labelSet }),
  'prometheus.series': z.looseObject({
    alert: z.string(),
    scrapeIntervalMs: durationMs,
    series: z.array(z.looseObject({ labels: labelSet, samples: z.array(z.tuple([epochMs, z.number().nullable()])) })),
  }),
  'step.started': z.looseObject(stepBase),
  'step.finished': z.looseObject({
    ...stepBase,
    startedAt: epochMs,
    endedAt: epochMs,
    exitCode: z.number().nullable(),
    timedOut: z.boolean(),
    output: z.string(),
  }),
  'fleet.event': z.looseObject({ type: z.string(), agent: z.string(), instanceId: z.string().optional(), detail: details }),
  'platform.event': z.looseObject({ source: z.string(), type: z.string(), reason: z.string(), object: z.string(), message: z.string(), count, component: z.string() }),
  recovered: z.looseObject({ windowStartAt: epochMs, confirmedAt: epochMs }),
  integrity,
  'fault.assessed': z.looseObject({
    fault: z.string(),
    figures: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
    failures: z.array(z.string()),
  }),
  'group.state': z.looseObject({ group: z.string(), from: z.string().optional(), to: z.string() }),
  observation: z.looseObject({ kind: z.string(), agent: z.string().optional(), instanceId: z.string().optional(), detail: details }),
  score: z.looseObject({
    verdict,
    reasons: z.array(z.string()),
    ttdMs: durationMs.optional(),
    ttrMs: durationMs.optional(),
    targets: z.looseObject({ detectMs: durationMs, recoverMs: durationMs }),
    // Kinds of missed target may grow; the report does not read them.
    missed: z.array(z.string()),
    integrity: integrity.optional(),
    faultFigures: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])).optional(),
    detectLowerBoundMs: z.number().min(0).optional(),
    responder: z
      .looseObject({
        type: z.string(),
        ackMs: durationMs.optional(),
        resolvedMs: z.number().optional(),
        steps: z.looseObject({ followed: z.array(z.string()), skipped: z.array(z.string()), added: z.array(z.string()) }),
        violations: z.array(z.string()),
        claims: z.array(z.looseObject({ claim: z.string(), supported: z.boolean(), evidence: z.string() })),
        calls: count,
        notes: z.array(z.string()),
        summary: z.string().optional(),
        unnecessary: z.array(z.string()).optional(),
        unknownTools: z.array(z.string()).optional(),
        approvals: z.array(z.string()).optional(),
        unacknowledged: z.literal(true).optional(),
        resolvedEarly: z.string().optional(),
      })
      .optional(),
  }),
  'responder.ready': z.looseObject({
    type: z.string(),
    url: z.string().optional(),
    steps: z.array(z.looseObject({ name: z.string(), phase: z.string(), tier: z.string(), command: z.string().optional() })),
    policy: z.looseObject({ allow: z.string(), approve: z.array(z.string()), tiers: z.record(z.string(), z.string()), approvalWaitMs: durationMs.optional() }),
  }),
  'responder.paged': z.looseObject({ alert: z.string() }),
  'fault.scheduled': z.looseObject({ fromMs: durationMs, toMs: durationMs, delayMs: durationMs }),
  'responder.call': z.looseObject({
    tool: z.string(),
    args: details,
    tier: z.string(),
    outcome: z.enum(['ok', 'error', 'refused']),
    violation: z.boolean(),
    unknownTool: z.literal(true).optional(),
    approvedBy: z.string().optional(),
    reason: z.string().optional(),
    result: z.string().optional(),
    startedAt: epochMs,
    endedAt: epochMs,
    effect: details.optional(),
  }),
  'responder.note': z.looseObject({ text: z.string() }),
  'responder.approval.requested': z.looseObject({ id: count, tool: z.string(), args: details, waitMs: durationMs, by: z.string().optional() }),
  'responder.approval.answered': z.looseObject({ id: count, approved: z.boolean(), reason: z.string(), by: z.string().optional(), waitedMs: durationMs }),
  'responder.resolved': z.looseObject({
    summary: z.string(),
    claims: z.array(z.looseObject({ action: z.string(), target: z.string(), replicas: z.union([z.number(), z.string()]).optional() })),
  }),
  'drill.finished': z.looseObject({ verdict }),
  error: z.looseObject({ code: z.string(), message: z.string(), hint: z.string().optional() }),
};

/** The envelope every event has; unknown types (a newer drill's) pass with any payload. */
export const eventEnvelope = z.looseObject({ type: z.string(), at: epochMs, payload: z.unknown() });

export function payloadSchema(type: string): z.ZodType | undefined {
  return Object.hasOwn(payloads, type) ? payloads[type as EventType] : undefined;
}

/** True when no object or array in `value` sits more than `max` levels down; walked without recursion. */
function nestedAtMost(max: number): (value: unknown) => boolean {
  return (value) => {
    const pending: [unknown, number][] = [[value, 0]];
    while (pending.length > 0) {
      const [v, depth] = pending.pop()!;
      if (typeof v !== 'object' || v === null) continue;
      if (depth > max) return false;
      for (const key in v) if (Object.hasOwn(v, key)) pending.push([(v as Record<string, unknown>)[key], depth + 1]);
    }
    return true;
  };
}
