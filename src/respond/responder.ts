import type { Clock } from '../core/clock.ts';
import type { Journal } from '../core/journal.ts';
import type { PlannedStep } from '../drill/plan.ts';
import type { Progress } from '../infra/provider.ts';
import type { Sample } from '../observe/sample.ts';
import type { ResponderPolicy } from './policy.ts';
import type { ApprovalDesk } from './approvals.ts';
import type { ResponderType } from './types.ts';

/** A fleet operation as the control server runs it (the same code path `agentdrill ctl` takes). */
export type ControlCall = (route: string, body: Record<string, unknown>, params?: URLSearchParams) => Promise<unknown>;

/** Everything a responder may use, handed over once the drill's fleet and control server are up. */
export interface ResponderContext {
  journal: Journal;
  clock: Clock;
  progress: Progress;
  /** The failure mode's steps, each with its tier. */
  steps: readonly PlannedStep[];
  failureMode: { id: string; title: string; alertRule: string; runbookFile: string };
  policy: ResponderPolicy;
  /** Where destructive calls wait for a person during the drill; absent when the scenario asks for no approvals. */
  approvals?: ApprovalDesk;
  /** Runs a step with the drill's environment, journaling step.started / step.finished. */
  runStep: (step: PlannedStep, signal: AbortSignal) => Promise<{ exitCode: number | null; output: string; timedOut: boolean }>;
  control: ControlCall;
  latestSample: () => { at: number; sample: Sample } | undefined;
  evaluate: (rule: string, sample: Sample) => { holds: boolean; failing: string[] };
  /** Instances per agent that are not stopped, now. */
  instancesByAgent: () => Record<string, number>;
}

/**
 * Who responds to the page. The drill starts it before the fault (an agent connects then),
 * pages it when the alert fires, and stops it at teardown. Whatever it does lands in the journal,
 * which alone is scored.
 */
export interface Responder {
  readonly type: ResponderType;
  /**
   * True when the response ends by itself (the script's steps finish); false when the drill must
   * end it (an agent that never declares "resolved" is stopped when the drill is over).
   */
  readonly endsOnItsOwn: boolean;
  /** Ready to be paged; journals `responder.ready` (with where to connect, for an agent). */
  start(context: ResponderContext): Promise<void>;
  /**
   * The page. Resolves when the response is over: the steps ran (script), or "resolved" was
   * declared (agent), or `signal` aborted because the drill is over.
   */
  respond(page: { at: number; alert: string }, signal: AbortSignal): Promise<{ verified: boolean }>;
  stop(): Promise<void>;
  /**
   * An `agentdrill ctl` call from a terminal of the drill (not from a runbook step), before it
   * runs. A responder that has people at it decides and journals the call as theirs; without
   * this, the call just runs (an agent's drill does not count a bystander's ctl as the agent's).
   */
  onControl?(request: ControlRequest, run: () => Promise<unknown>): Promise<unknown>;
}

/** One control-server request from outside the drill's own steps. */
export interface ControlRequest {
  /** "POST /scale", "GET /status", ... */
  route: string;
  body: Record<string, unknown>;
  /** Who sent it, as `agentdrill ctl` says (a person's name); undefined from other clients. */
  by: string | undefined;
}
