import type { Sample } from '../observe/sample.ts';
import type { IntegrityReport } from '../fleet/types.ts';
import type { AgentVersion } from '../fleet/release/agent-version.ts';
import type { Verdict } from './exit-codes.ts';

/**
 * The journal's event catalogue. Every event is {type, at, payload}; `at` is epoch ms from the
 * drill's clock. Scoring and reports read these payloads and nothing else.
 */
export type Phase =
  | 'provision'
  | 'fleet'
  | 'warmup'
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
    /** A team's fleet file, when the scenario names one: which system, in which version, was drilled. */
    fleet?: {
      name: string;
      file: string;
      checksum: string;
      gitRevision?: string;
      ratePerSec: number;
      replicas: Record<string, number>;
      /** Agent → the release drilled: its `version:`, else its image's tag (absent in journals before the release gate). */
      versions?: Record<string, AgentVersion>;
      /** `run --set` as written, in order: what the drill changed in the fleet file. */
      overrides?: { path: string; value: string }[];
    };
    targets: { detectMs: number; recoverMs: number };
    /** baselineWindowMs: absent in journals from before it existed (it was windowMs then). */
    steadyState: { conditions: string[]; windowMs: number; baselineWindowMs?: number };
    alertRule: string;
    /** Detection by the team's Prometheus rule and Alertmanager (absent: the built-in rule, `alertRule`). */
    detection?: PrometheusDetectionRecord;
    sampleIntervalMs: number;
    provider: string;
    versions: Record<string, string>;
  };
  'phase.started': { phase: Phase };
  sample: Sample;
  /** The steady state evaluated at one sample (kept separately so reports need not re-evaluate). */
  'steady.evaluated': { holds: boolean; failing: string[] };
  'baseline.healthy': { windowStartAt: number };
  /**
   * The end of warm-up: every consumer group has all its members and has caught up once. Measured
   * apart from the baseline, whose window starts after it, so a slow start on a busy machine is
   * seen as such instead of eating the baseline.
   */
  'warmup.finished': { ok: boolean; durationMs: number; limitMs: number; groups: Record<string, WarmupGroup>; load: MachineLoad };
  /** The baseline never held: which conditions failed, their last values, and how loaded the machine was. */
  'baseline.unhealthy': {
    baselineMs: number;
    windowMs: number;
    /** The longest run of samples in which every condition held. */
    longestHoldMs: number;
    failing: { condition: string; lastValues: (number | null)[]; failedSamples: number; samples: number }[];
    load: MachineLoad;
  };
  /** `description`: what was done, in words (the progress line's); journals before it lack one. */
  'fault.injected': { fault: string; description?: string; detail: Record<string, unknown> };
  'fault.removed': { fault: string };
  /** `source: 'prometheus'`: the team's alert as Prometheus reported it (then `rule` is the alert's name). */
  'alert.firing': { rule: string; value: number | undefined; source?: 'prometheus'; labels?: Record<string, string> };
  'alert.resolved': { rule: string; source?: 'prometheus' };
  /**
   * The first evaluation after injection at which the alert's expression had a result: a sample
   * over the threshold, before `for:` and the evaluation interval count. Found afterwards from
   * Prometheus' data, so its `at` may be earlier than events journaled before it.
   */
  'alert.threshold': { alert: string; expr: string; value: number | null };
  /** Prometheus put the alert in pending (`at` is its activeAt). */
  'alert.pending': { alert: string; labels: Record<string, string>; value: number | null };
  /** Alertmanager's webhook notification for the alert reached the harness: the page. */
  'alert.notified': { alert: string; status: string; receiver: string; labels: Record<string, string>; annotations: Record<string, string> };
  /**
   * The series the alert's expression reads, as Prometheus scraped them (unix ms, value), kept so
   * `agentdrill export promtool` can replay the drill in `promtool test rules`.
   */
  'prometheus.series': { alert: string; scrapeIntervalMs: number; series: { labels: Record<string, string>; samples: [number, number][] }[] };
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
  /** The platform's own account (Kubernetes Events of the drill's namespace), as it reported it. */
  'platform.event': { source: string; type: string; reason: string; object: string; message: string; count: number; component: string };
  /** First sample of the steady-state window that then held for the whole window. */
  recovered: { windowStartAt: number; confirmedAt: number };
  integrity: IntegrityReport;
  /** Fault-specific figures after the drain (see FaultAssessment); failures fail the drill. */
  'fault.assessed': { fault: string; figures: Record<string, number | string | boolean | null>; failures: string[] };
  /** A consumer group's state as the broker reports it changed (Stable → PreparingRebalance ...). */
  'group.state': { group: string; from: string | undefined; to: string };
  /** Something a fault or the fleet showed that reports should mark (an OOM kill, a crash loop...). */
  observation: { kind: string; agent?: string; instanceId?: string; detail: Record<string, unknown> };
  /**
   * Who responds, ready before the fault: the type, where an agent connects (`url`), the
   * failure mode's steps with the tier each runs at, and the permissions declared for it.
   */
  'responder.ready': { type: string; url?: string; steps: ResponderStep[]; policy: { allow: string; approve: string[]; tiers: Record<string, string>; approvalWaitMs?: number } };
  /** The page reached the responder (`at`: the alert's firing or Alertmanager's notification). */
  'responder.paged': { alert: string };
  /** A game day: the fault waits a random moment within the window after the baseline, so nobody watches the clock. */
  'fault.scheduled': { fromMs: number; toMs: number; delayMs: number };
  /** One tool call of an agent responder: what it asked, what the drill decided, what happened. */
  'responder.call': ResponderCall;
  /** A note the responder posted during the drill (a scribe's line). */
  'responder.note': { text: string };
  /** A destructive call waits for a person's answer during the drill (`agentdrill ctl approve|deny <id>`). */
  'responder.approval.requested': { id: number; tool: string; args: Record<string, unknown>; waitMs: number; by?: string };
  /** The answer: a person's yes or no, or no answer within the wait (a no), or the drill's end. */
  'responder.approval.answered': { id: number; approved: boolean; reason: string; by?: string; waitedMs: number };
  /** The responder declared the incident resolved: its summary and the actions it claims. */
  'responder.resolved': { summary: string; claims: { action: string; target: string; replicas?: number | string }[] };
  score: Score;
  'drill.finished': { verdict: Verdict };
  error: { code: string; message: string; hint?: string };
}

export type EventType = keyof EventPayloads;

export interface ResponderStep {
  name: string;
  phase: string;
  tier: string;
  command?: string;
}

/** What a call changed, recorded as it ran: claims are matched to these and nothing else. */
export interface ResponderEffect {
  /** `run_step`: the step and its exit code. */
  step?: { name: string; exitCode: number | null };
  /** A fleet operation, done by a ctl tool or by a step that is exactly one `agentdrill ctl` call. */
  ctl?: { op: string; target: string | undefined; replicas?: string };
  /** Instances each agent had right after the call. */
  instancesAfter?: Record<string, number>;
  /** Instance ids a stop / kill / restart acted on. */
  acted?: string[];
}

export interface ResponderCall {
  tool: string;
  args: Record<string, unknown>;
  tier: string;
  /** Who made the call at a game day: a person's name and where (`alice at the prompt`, `bob via agentdrill ctl`). */
  by?: string;
  /** `refused`: the drill did not run it (outside the permissions, before the page, no such tool, arguments that do not fit). */
  outcome: 'ok' | 'error' | 'refused';
  /** A refused call that was outside the permissions: it fails the drill. */
  violation: boolean;
  /** The person who approved this destructive call during the drill. */
  approvedBy?: string;
  /** A call to a tool the drill does not serve: the agent invented it (it fails the drill). */
  unknownTool?: true;
  reason?: string;
  /** What the responder was answered, cut to a bounded size. */
  result?: string;
  startedAt: number;
  endedAt: number;
  effect?: ResponderEffect;
}

/** The responder's part of the score (absent in journals before responders). */
export interface ResponderScore {
  type: string;
  /** Page → the responder's first call (the script acknowledges at once). */
  ackMs: number | undefined;
  /** Fault injection → "resolved" declared; undefined when never declared. */
  resolvedMs: number | undefined;
  steps: { followed: string[]; skipped: string[]; added: string[] };
  violations: string[];
  claims: { claim: string; supported: boolean; evidence: string }[];
  calls: number;
  notes: string[];
  summary: string | undefined;
  /** A no-fault control only: what the responder changed in a healthy system. */
  unnecessary?: string[];
  /** Destructive calls that waited for a person during the drill, with the answer (none asked: absent). */
  approvals?: string[];
  /** Calls to tools that do not exist, as the agent made them (absent in journals before this was scored). */
  unknownTools?: string[];
  /** Paged, and nobody acknowledged: fails a human responder's drill. */
  unacknowledged?: true;
  /** "Resolved" was declared while the steady state had not returned yet (or never did): by how much, in words. */
  resolvedEarly?: string;
}

/** What drove detection: the team's rule file, the alert, and the intervals between threshold and page. */
export interface PrometheusDetectionRecord {
  kind: 'prometheus';
  alert: string;
  expr: string;
  forMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Absolute paths and checksums of the rule files loaded. */
  ruleFiles: { file: string; checksum: string }[];
  scrapeIntervalMs: number;
  /** The rule's group `interval:` where it has one, else the global evaluation interval. */
  evaluationIntervalMs: number;
  groupWaitMs: number;
  groupIntervalMs: number;
}

export interface WarmupGroup {
  members: number | null;
  expectedMembers: number;
  state: string | null;
  lag: number | null;
  caughtUp: boolean;
  ready: boolean;
}

/** The machine's load while the drill ran: a slow start is judged with it in view. */
export interface MachineLoad {
  cpus: number;
  /** 1- and 5-minute load averages (runnable tasks; above `cpus` means work waits for a core). */
  loadAvg1: number;
  loadAvg5: number;
  /** Share of CPU time the hypervisor gave to others (steal), over the measured span; null where unreadable. */
  stealPct: number | null;
  /** Share of CPU time busy (user+system+...) over the measured span; null where unreadable. */
  busyPct: number | null;
}

export interface Score {
  verdict: Verdict;
  /** Why the verdict is what it is, one line each (missed targets, inconclusive reasons). */
  reasons: string[];
  ttdMs: number | undefined;
  ttrMs: number | undefined;
  targets: { detectMs: number; recoverMs: number };
  missed: ('detect' | 'recover' | 'integrity' | 'fault' | 'responder')[];
  integrity: IntegrityReport | undefined;
  /** Fault-specific figures (blast radius, OOM, rebalance pause...), when the fault reports any. */
  faultFigures?: Record<string, number | string | boolean | null>;
  /** sample interval + the alert rule's `for` window: detection cannot be faster than this. */
  detectLowerBoundMs: number | undefined;
  /** Who responded and how: acknowledge, steps, permission violations, claims checked. */
  responder?: ResponderScore;
}
