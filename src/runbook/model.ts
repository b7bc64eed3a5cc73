import type { Rule } from '../detect/rule.ts';

/** The six sections every runbook has (DESIGN §5); `other` for anything else at H2. */
export type SectionKind = 'summary' | 'health' | 'failure-modes' | 'escalation' | 'rollback' | 'changelog' | 'other';

/**
 * What a page is, read from its headings (or front matter `kind:`): a service runbook has the six
 * sections; an alert page explains one alert (Meaning, Impact, Diagnosis, Mitigation); a guide is
 * anything else people page through (troubleshooting guides, operations procedures).
 */
export const runbookKinds = ['service', 'alert', 'guide'] as const;
export type RunbookKind = (typeof runbookKinds)[number];

/** `oncall`: could a person run this page at 3 a.m.? `drill`: can `agentdrill run` execute it? */
export const lintProfiles = ['oncall', 'drill'] as const;
export type LintProfile = (typeof lintProfiles)[number];

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

/** A fenced block anywhere on the page (lists and quotes included), as a person would paste it. */
export interface PageBlock {
  block: Block;
  /** Heading path, for messages: "Mitigation › Defrag". */
  where: string;
  /** Text that may confirm or guard the block: the prose before it, its list item (and the items above), its headings. */
  context: string;
  /** The part of it that a condition ("If the broker is gone:") must be in: the prose just before, its own item, its heading. */
  near: string;
  /** Per line of `block.command`: typed in another machine or container (after `oc rsh`, `ssh host`). */
  remote: boolean[];
  /** Database or cache statements (an ```sql block, lines after a `db=#` prompt). */
  statements: Located[];
}

/** A paragraph, list item or table cell anywhere on the page: what a person reads. */
export interface ProseItem {
  text: string;
  /** What a person read just before it: the prose above, the items above in its list. */
  before: string;
  line: number;
  column: number;
  where: string;
  /** Inline code spans: commands people paste by hand, or names. */
  inline: Located[];
  /** Link targets in it (a contact's page, a dashboard). */
  links: Located[];
}

/** The page as a person reads it, every section, whatever its heading says. */
export interface PageContent {
  blocks: PageBlock[];
  prose: ProseItem[];
  /** Empty list items and empty sections: a step nobody wrote. */
  empty: Located[];
  /** Headings that map to no section, phase or known heading, so the reader sees why they were not used. */
  unmapped: Located[];
}

export interface Runbook {
  file: string;
  kind: RunbookKind;
  page: PageContent;
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
