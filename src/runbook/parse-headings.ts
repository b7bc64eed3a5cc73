import type { Heading, Nodes } from 'mdast';
import { headingMeaning } from './heading-vocabulary.ts';
import type { PhaseName, SectionKind } from './model.ts';

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
  return headingMeaning(key).section ?? 'other';
}

export function phaseOf(key: string): PhaseName | undefined {
  return headingMeaning(key).phase;
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
