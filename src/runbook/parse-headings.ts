import type { Heading, Nodes } from 'mdast';
import type { PhaseName, SectionKind } from './model.ts';

/**
 * Heading vocabulary. Teams title sections differently; the alias tables map the common names
 * onto the model (extend them here, keys lower-case).
 */
const sectionAliases: Record<string, SectionKind> = {
  'service summary': 'summary',
  summary: 'summary',
  overview: 'summary',
  'service overview': 'summary',
  about: 'summary',
  health: 'health',
  'health checks': 'health',
  'health indicators': 'health',
  'golden signals': 'health',
  slos: 'health',
  'failure modes': 'failure-modes',
  'failure scenarios': 'failure-modes',
  'known failure modes': 'failure-modes',
  mitigation: 'failure-modes',
  mitigations: 'failure-modes',
  remediation: 'failure-modes',
  playbooks: 'failure-modes',
  escalation: 'escalation',
  'escalation path': 'escalation',
  'escalation policy': 'escalation',
  contacts: 'escalation',
  rollback: 'rollback',
  'roll back': 'rollback',
  'rollback plan': 'rollback',
  'change log': 'changelog',
  changelog: 'changelog',
  'revision history': 'changelog',
  history: 'changelog',
};

const phaseAliases: Record<string, PhaseName> = {
  detect: 'detect',
  detection: 'detect',
  alert: 'detect',
  symptoms: 'detect',
  diagnose: 'diagnose',
  diagnosis: 'diagnose',
  confirm: 'diagnose',
  investigate: 'diagnose',
  triage: 'diagnose',
  respond: 'respond',
  response: 'respond',
  mitigate: 'respond',
  mitigation: 'respond',
  remediate: 'respond',
  remediation: 'respond',
  fix: 'respond',
  verify: 'verify',
  verification: 'verify',
  check: 'verify',
  validate: 'verify',
  escalate: 'escalate',
  escalation: 'escalate',
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
    estimateMs = amount * (unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
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
  return sectionAliases[key] ?? 'other';
}

export function phaseOf(key: string): PhaseName | undefined {
  return phaseAliases[key];
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
    const sep = node.type === 'list' || node.type === 'listItem' || node.type === 'blockquote' ? '\n' : '';
    return node.children.map((c) => plainText(c)).join(sep);
  }
  return '';
}
