import type { PrometheusDetectionRecord } from '../core/events.ts';
import type { WatchedSeries } from '../detect/series.ts';
import type { FaultSpec } from '../faults/registry.ts';
import type { FleetDefinition } from '../fleet/definition/schema.ts';
import type { AgentVersion } from '../fleet/release/agent-version.ts';
import type { ResponderPolicy } from '../respond/policy.ts';
import type { Tier } from '../respond/tiers.ts';
import type { ResponderType } from '../respond/types.ts';
import type { InjectWindow } from '../scenario/inject-window.ts';

/** The fleet a drill brings up: a fleet file, as this drill sizes and sets it. */
export type PlannedFleet = {
      kind: 'file';
      /** Under docker with agents in containers: agents with an `image:` run from it. */
      runsImages: boolean;
      /** Prepended to every topic and group of the drill. */
      prefix: string;
      /** The scenario's `load.rate`, else the fleet file's. */
      ratePerSec: number;
      definition: FleetDefinition;
      /** Agent → replicas for this drill. */
      replicas: Record<string, number>;
      /** Programs the fleet's `setup:` steps are to build; checked after them. */
      deferredCommands: string[];
      /** The series of the agents' /metrics that the alert, the steady state and the checks name. */
      watched: WatchedSeries[];
      checksum: string;
      gitRevision?: string;
      /** Agent → the release drilled (its `version:`, else its image's tag). */
      versions: Record<string, AgentVersion>;
      /** `run --set` as written, in order: what the drill changed in the fleet file. */
      overrides: { path: string; value: string }[];
    };

/** One runbook step as the drill will run it. */
export interface PlannedStep {
  name: string;
  phase: 'detect' | 'diagnose' | 'respond' | 'verify' | 'escalate';
  lang: string;
  command: string | undefined;
  manual: boolean;
  timeoutMs: number | undefined;
  line: number;
  /** The prose a person reads with the step. */
  text: string;
  /** What a responder needs to be allowed to run it (tiers.ts). */
  tier: Tier;
}

/**
 * Everything a drill needs, validated and normalized: the scenario, the selected failure mode of
 * the runbook, and the fleet spec. Built before anything starts, so bad input costs no bring-up.
 */
export interface DrillPlan {
  drillId: string;
  name: string;
  description: string;
  provider: string;
  scenario: { file: string; checksum: string };
  runbook: {
    file: string;
    checksum: string;
    gitRevision?: string;
    failureMode: string;
    /** The failure mode's heading, as people read it. */
    failureModeTitle: string;
    alertRule: string;
    steps: PlannedStep[];
    /** Front matter `env:` bindings; the drill's own variables win over them. */
    env: Record<string, string>;
  };
  fleet: PlannedFleet;
  fault: FaultSpec;
  /** A game day: the fault waits a random moment within this window after the baseline (`--inject-within`, else the scenario's). */
  injectWindow?: InjectWindow;
  /** Who responds to the page (`--responder`, else the scenario's, else the script) and what it may do. */
  responder: { type: ResponderType; policy: ResponderPolicy };
  /** The team's Prometheus rule and Alertmanager route page for this drill; undefined: the runbook's built-in alert rule. */
  detection: PrometheusDetectionRecord | undefined;
  /** Longest warm-up (all members joined, caught up once) before the baseline window may start. */
  warmupMs: number;
  baselineMs: number;
  targets: { detectMs: number; recoverMs: number };
  /** windowMs: after the fault, to count as recovered; baselineWindowMs: before it. */
  steadyState: { conditions: string[]; windowMs: number; baselineWindowMs: number };
  sampleIntervalMs: number;
  drainMs: number;
  timeLimitMs: number;
}
