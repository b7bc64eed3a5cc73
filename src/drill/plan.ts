import type { FaultSpec } from '../faults/registry.ts';
import type { FleetSpec } from '../fleet/types.ts';

/** One runbook step as the drill will run it. */
export interface PlannedStep {
  name: string;
  phase: 'detect' | 'diagnose' | 'respond' | 'verify' | 'escalate';
  lang: string;
  command: string | undefined;
  manual: boolean;
  timeoutMs: number | undefined;
  line: number;
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
    alertRule: string;
    steps: PlannedStep[];
    /** Front matter `env:` bindings; the drill's own variables win over them. */
    env: Record<string, string>;
  };
  fleet: FleetSpec;
  fault: FaultSpec;
  /** Longest warm-up (all members joined, caught up once) before the baseline window may start. */
  warmupMs: number;
  baselineMs: number;
  targets: { detectMs: number; recoverMs: number };
  steadyState: { conditions: string[]; windowMs: number };
  sampleIntervalMs: number;
  drainMs: number;
  timeLimitMs: number;
}
