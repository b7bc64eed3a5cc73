import type { Heading, Nodes } from 'mdast';
import type { PhaseName, SectionKind } from './model.ts';

/**
 * Heading vocabulary, one table: teams title things differently, and one word can be a section
 * at H2 and a phase at H4 ("Mitigation"). `section` is the meaning at H2; `phase` the meaning at
 * H4, and at H2 too when a page is one alert's runbook (Meaning / Diagnosis / Mitigation H2s
 * with no failure-mode H3s). Extend it here; keys are lower-case.
 */
const aliases: Record<string, { section?: SectionKind; phase?: PhaseName }> = {
  'service summary': { section: 'summary' },
  summary: { section: 'summary' },
  overview: { section: 'summary' },
  'service overview': { section: 'summary' },
  about: { section: 'summary' },
  description: { section: 'summary' },
  meaning: { section: 'summary' },
  impact: { section: 'summary' },
  health: { section: 'health' },
  'health checks': { section: 'health' },
  'health indicators': { section: 'health' },
  'golden signals': { section: 'health' },
  slos: { section: 'health' },
  'failure modes': { section: 'failure-modes' },
  'failure scenarios': { section: 'failure-modes' },
  'known failure modes': { section: 'failure-modes' },
  'known issues': { section: 'failure-modes' },
  playbooks: { section: 'failure-modes' },
  symptoms: { section: 'failure-modes', phase: 'detect' },
  detect: { phase: 'detect' },
  detection: { section: 'failure-modes', phase: 'detect' },
  alert: { phase: 'detect' },
  diagnose: { phase: 'diagnose' },
  diagnosis: { section: 'failure-modes', phase: 'diagnose' },
  troubleshooting: { section: 'failure-modes', phase: 'diagnose' },
  investigation: { section: 'failure-modes', phase: 'diagnose' },
  confirm: { phase: 'diagnose' },
  investigate: { phase: 'diagnose' },
  triage: { phase: 'diagnose' },
  respond: { phase: 'respond' },
  response: { phase: 'respond' },
  mitigate: { phase: 'respond' },
  mitigation: { section: 'failure-modes', phase: 'respond' },
  mitigations: { section: 'failure-modes', phase: 'respond' },
  remediate: { phase: 'respond' },
  remediation: { section: 'failure-modes', phase: 'respond' },
  resolution: { section: 'failure-modes', phase: 'respond' },
  fix: { phase: 'respond' },
  verify: { phase: 'verify' },
  verification: { section: 'failure-modes', phase: 'verify' },
  check: { phase: 'verify' },
  validate: { phase: 'verify' },
  escalate: { phase: 'escalate' },
  escalation: { section: 'escalation', phase: 'escalate' },
  'escalation path': { section: 'escalation' },
  'escalation policy': { section: 'escalation' },
  contacts: { section: 'escalation' },
  rollback: { section: 'rollback' },
  'roll back': { section: 'rollback' },
  'rollback plan': { section: 'rollback' },
  'change log': { section: 'changelog' },
  changelog: { section: 'changelog' },
  'revision history': { section: 'changelog' },
  history: { section: 'changelog' },
};

export const phaseHeadingNames = ['Detect', 'Diagnose', 'Respond', 'Verify', 'Escalate'];

export interface HeadingParts {
  /** The visible title without a `{#id}` suffix. */
  title: string;
  /** The title without a "(~2 min)" estimate either. */
  bareTitle: string;
  explicitId: string | undefined;
  /** From a "(~2 min)" note in the heading. */
  estimateMs: number | undefined;
  /** Lower-case title without estimate, numbering or trailing colon, for alias lookup. */
  key: string;
}

const explicitIdPattern = /\s*\{#([\w-]+)\}\s*$/;
const estimatePattern = /\(\s*[~≈]?\s*(\d+(?:\.\d+)?)(?:\s*[-–]\s*(\d+(?:\.\d+)?))?\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)\s*\)/i;

export function headingParts(heading: Heading): HeadingParts {
  const full = plainText(heading).trim();
  const idMatch = explicitIdPattern.exec(full);
  const title = idMatch ? full.slice(0, idMatch.index).trim() : full;
  const estimate = estimatePattern.exec(title);
  let estimateMs: number | undefined;
  if (estimate) {
    const amount = Number(estimate[2] ?? estimate[1]);
    const unit = estimate[3]!.toLowerCase()[0];
    const ms = amount * (unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
    // "(~999…9 min)" is no estimate; Infinity would pass for one.
    estimateMs = Number.isFinite(ms) ? ms : undefined;
  }
  const bareTitle = title.replace(estimatePattern, '').replace(/\s+/g, ' ').trim();
  const key = bareTitle
    .replace(/^\s*\d+[.)]\s*/, '')
    .replace(/[:.\s]+$/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
  return { title, bareTitle, explicitId: idMatch?.[1], estimateMs, key };
}

export function sectionKind(key: string): SectionKind {
  return aliases[key]?.section ?? 'other';
}

export function phaseOf(key: string): PhaseName | undefined {
  return aliases[key]?.phase;
}

/** GitHub-style anchor: lower-case, punctuation dropped, spaces to dashes. */
export function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/** Text content of a node (what a reader sees), without Markdown syntax. */
export function plainText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if (node.type === 'break') return '\n';
  if ('children' in node) {
    const sep = node.type === 'list' || node.type === 'listItem' || node.type === 'blockquote' || node.type === 'table' ? '\n' : node.type === 'tableRow' ? ' | ' : '';
    return node.children.map((c) => plainText(c)).join(sep);
  }
  return '';
}
