import type { Sample } from '../observe/sample.ts';
import type { IntegrityReport } from '../fleet/types.ts';
import type { Verdict } from './exit-codes.ts';

/**
 * The journal's event catalogue. Every event is {type, at, payload}; `at` is epoch ms from the
 * drill's clock. Scoring and reports read these payloads and nothing else.
 */
export type Phase =
  | 'provision'
  | 'fleet'
  | 'baseline'
  | 'inject'
  | 'respond'
  | 'recover'
  | 'drain'
  | 'integrity'
  | 'teardown'
  | 'report';

export interface EventPayloads {
  'drill.started': {
    drillId: string;
    scenario: { name: string; file: string; checksum: string; description?: string };
    /** gitRevision: the commit that last touched the runbook, "+dirty" when it has local changes; absent outside git. */
    runbook: { file: string; failureMode: string; checksum: string; gitRevision?: string };
    targets: { detectMs: number; recoverMs: number };
    steadyState: { conditions: string[]; windowMs: number };
    alertRule: string;
    sampleIntervalMs: number;
    provider: string;
    versions: Record<string, string>;
  };
  'phase.started': { phase: Phase };
  sample: Sample;
  /** The steady state evaluated at one sample (kept separately so reports need not re-evaluate). */
  'steady.evaluated': { holds: boolean; failing: string[] };
  'baseline.healthy': { windowStartAt: number };
  'fault.injected': { fault: string; detail: Record<string, unknown> };
  'fault.removed': { fault: string };
  'alert.firing': { rule: string; value: number | undefined };
  'alert.resolved': { rule: string };
  'step.started': { name: string; section: string; command: string | undefined; manual: boolean };
  'step.finished': {
    name: string;
    section: string;
    command: string | undefined;
    manual: boolean;
    startedAt: number;
    endedAt: number;
    exitCode: number | null;
    timedOut: boolean;
    output: string;
  };
  'fleet.event': { type: string; agent: string; instanceId?: string; detail: Record<string, unknown> };
  /** First sample of the steady-state window that then held for the whole window. */
  recovered: { windowStartAt: number; confirmedAt: number };
  integrity: IntegrityReport;
  /** Fault-specific figures after the drain (see FaultAssessment); failures fail the drill. */
  'fault.assessed': { fault: string; figures: Record<string, number | string | boolean | null>; failures: string[] };
  /** A consumer group's state as the broker reports it changed (Stable → PreparingRebalance ...). */
  'group.state': { group: string; from: string | undefined; to: string };
  /** Something a fault or the fleet showed that reports should mark (an OOM kill, a crash loop...). */
  observation: { kind: string; agent?: string; instanceId?: string; detail: Record<string, unknown> };
  score: Score;
  'drill.finished': { verdict: Verdict };
  error: { code: string; message: string; hint?: string };
}

export type EventType = keyof EventPayloads;

export interface Score {
  verdict: Verdict;
  /** Why the verdict is what it is, one line each (missed targets, inconclusive reasons). */
  reasons: string[];
  ttdMs: number | undefined;
  ttrMs: number | undefined;
  targets: { detectMs: number; recoverMs: number };
  missed: ('detect' | 'recover' | 'integrity' | 'fault')[];
  integrity: IntegrityReport | undefined;
  /** Fault-specific figures (blast radius, OOM, rebalance pause...), when the fault reports any. */
  faultFigures?: Record<string, number | string | boolean | null>;
  /** sample interval + the alert rule's `for` window: detection cannot be faster than this. */
  detectLowerBoundMs: number | undefined;
}
