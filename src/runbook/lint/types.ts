import type { Finding, LintProfile, Runbook } from '../model.ts';

/** The fleet a scenario describes: the names steps and rules may use (logical names). */
export interface FleetNames {
  agents: readonly string[];
  /** Consumer groups by their logical name (the agent that consumes). */
  groups: readonly string[];
  topics: readonly string[];
  /** Agents `ctl scale` accepts: the ones that consume in a group. */
  scalable: readonly string[];
  metrics: readonly string[];
  /** Agents that serve their own /metrics (`metrics:` in the fleet file); absent: none does. */
  withMetrics?: readonly string[];
  /** `topic:<name>` / `group:<name>` → the step variable holding the drill's real name, where it is not `<NAME>_TOPIC`. */
  variables?: Readonly<Record<string, string>>;
  /** The runbook and failure mode the scenario drills, to check the anchor exists. */
  drilled?: { file: string; failureMode: string };
}

/** What a rule may know about the machine and the drill; tests pass their own. */
export interface LintContext {
  /** `oncall` (validate's default) or `drill` (what `agentdrill run` needs on top). */
  profile: LintProfile;
  /** Relative paths in steps resolve against the runbook's folder, as on-call runs them. */
  baseDir: string;
  /** Whether a name is bound in every step (the drill's environment). */
  isBound(name: string): boolean;
  /** True when a command name is on the drill's PATH. */
  commandExists(name: string): boolean;
  fileExists(file: string): boolean;
  fleet: FleetNames | undefined;
}

export type RuleFinding = Omit<Finding, 'file' | 'rule' | 'severity'> & { severity?: Finding['severity'] };

/** One lint rule: a stable id, its usual severity (a finding may lower it), and the check. */
export interface LintRule {
  id: string;
  severity: Finding['severity'];
  /** The profiles it runs in; both when absent. A drill-only rule never fires in `oncall`. */
  profiles?: readonly LintProfile[];
  /** One line for `validate --help` and the docs. */
  description: string;
  check(runbook: Runbook, context: LintContext): RuleFinding[];
}
