import type { Rule } from '../detect/rule.ts';

/** The six sections every runbook has (DESIGN §5); `other` for anything else at H2. */
export type SectionKind = 'summary' | 'health' | 'failure-modes' | 'escalation' | 'rollback' | 'changelog' | 'other';

export const phaseNames = ['detect', 'diagnose', 'respond', 'verify', 'escalate'] as const;
export type PhaseName = (typeof phaseNames)[number];

export interface Section {
  title: string;
  kind: SectionKind;
  line: number;
}

export interface StepAttributes {
  name?: string;
  /** Milliseconds. */
  timeout?: number;
  [key: string]: unknown;
}

export interface Step {
  /** From the `name` attribute, else `<phase>-<n>` (1-based within the phase). */
  name: string;
  phase: PhaseName;
  line: number;
  /** Fence language (sh, bash, console, ...); '' for manual steps. */
  lang: string;
  /** What to run; undefined for manual (prose) steps. */
  command: string | undefined;
  manual: boolean;
  attributes: StepAttributes;
  /** What a person reads: the prose of a manual step, or the paragraph just before a command. */
  text: string;
}

export interface AlertBlock {
  text: string;
  line: number;
  /** Undefined when the rule does not parse (a finding says why). */
  rule: Rule | undefined;
}

export interface FailureMode {
  /** Slug of the heading, or its explicit `{#id}`. */
  id: string;
  title: string;
  line: number;
  alert: AlertBlock | undefined;
  phases: Record<PhaseName, Step[]>;
  /** Per-phase time estimates written in the H4 heading, e.g. "Respond (~2 min)". */
  estimatesMs: Partial<Record<PhaseName, number>>;
}

export interface Runbook {
  file: string;
  /** The H1 heading, if any. */
  title: string | undefined;
  frontMatter: Record<string, unknown>;
  sections: Section[];
  failureModes: FailureMode[];
}

export interface Finding {
  file: string;
  line: number;
  column: number;
  /** Stable id, e.g. `alert-syntax`, so linters and tests can match on it. */
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  hint: string;
}

export interface ParsedRunbook {
  runbook: Runbook;
  findings: Finding[];
}
