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

/** A span of source text: where a cell, inline code or link starts (1-based). */
export interface Located {
  text: string;
  line: number;
  column: number;
}

/**
 * One runnable or manual block, wherever it sits (a phase, the Rollback section). `sourceMap`
 * gives, per line of `command`, where that line starts in the file: console prompts are
 * stripped, so the command's own offsets are not the file's.
 */
export interface Block {
  /** From the `name` attribute, else `<phase>-<n>` (1-based within the phase). */
  name: string;
  line: number;
  /** Fence language (sh, bash, console, check, ...); '' for manual steps. */
  lang: string;
  /** What to run; undefined for manual (prose) steps. */
  command: string | undefined;
  manual: boolean;
  attributes: StepAttributes;
  /** What a person reads: the prose of a manual step, or the paragraph just before a command. */
  text: string;
  /** Inline code spans in a manual step: commands people paste by hand. */
  inline: Located[];
  sourceMap: { line: number; column: number }[];
  /** The condition of a ```check block (run as `agentdrill ctl wait`). */
  check?: Rule;
}

export interface Step extends Block {
  phase: PhaseName;
}

export interface AlertBlock {
  text: string;
  line: number;
  /** Undefined when the rule does not parse (a finding says why). */
  rule: Rule | undefined;
  /** The team's Prometheus alert that pages for this failure mode (fence attribute `prometheus`). */
  prometheus?: string;
}

export interface FailureMode {
  /** Slug of the heading, or its explicit `{#id}`. */
  id: string;
  title: string;
  line: number;
  alert: AlertBlock | undefined;
  phases: Record<PhaseName, Step[]>;
  /** Phases that have a heading, even an empty one. */
  headings: Partial<Record<PhaseName, number>>;
  /** Per-phase time estimates written in the H4 heading, e.g. "Respond (~2 min)". */
  estimatesMs: Partial<Record<PhaseName, number>>;
  /** A one-alert page (Meaning / Diagnosis / Mitigation as H2s): the page is the failure mode. */
  implicit: boolean;
}

/** One row of the Health table: the metric and its thresholds, cells as written. */
export interface HealthMetric {
  line: number;
  metric: Located;
  green: Located | undefined;
  yellow: Located | undefined;
  red: Located | undefined;
}

export interface EscalationSection {
  line: number;
  /** Table rows and list items: each a person or rota to try. */
  contacts: Located[];
  /** All text of the section, to judge reachability when there is no table or list. */
  text: string;
}

export interface RollbackSection {
  line: number;
  /** From a "(~2 min)" note in the heading. */
  estimateMs: number | undefined;
  blocks: Block[];
  /** The prose: who may decide the rollback. */
  text: string;
}

export interface Runbook {
  file: string;
  /** The H1 heading, if any. */
  title: string | undefined;
  frontMatter: Record<string, unknown>;
  /** Front matter `env:`: names a step may use, with the value the drill exports. */
  env: Record<string, string>;
  sections: Section[];
  failureModes: FailureMode[];
  health: HealthMetric[];
  escalation: EscalationSection | undefined;
  rollback: RollbackSection | undefined;
  /** Every Markdown link target, for files the runbook refers to. */
  links: Located[];
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
