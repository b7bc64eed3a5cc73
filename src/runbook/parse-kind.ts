import type { RootContent } from 'mdast';
import { headingMeaning, looseKey } from './heading-vocabulary.ts';
import { runbookKinds, type RunbookKind } from './model.ts';
import { headingParts } from './parse-headings.ts';

/**
 * Which kind of page this is, from its H2 headings: the lint asks each kind for what it is
 * meant to have. Front matter `kind:` decides when a team wants to say it.
 * - service: a Health, Rollback or Failure modes section (the six-section runbook);
 * - alert: one alert explained (Meaning or Impact, then what to do);
 * - guide: anything else (troubleshooting guides, operations procedures).
 */
export function runbookKind(nodes: readonly RootContent[], frontMatter: Record<string, unknown>): RunbookKind {
  const declared = frontMatter.kind;
  if (typeof declared === 'string' && (runbookKinds as readonly string[]).includes(declared.toLowerCase())) return declared.toLowerCase() as RunbookKind;
  const keys = nodes.flatMap((n) => (n.type === 'heading' && n.depth === 2 ? [headingParts(n).key] : []));
  const sections = keys.map((k) => headingMeaning(k).section);
  if (sections.includes('health') || sections.includes('rollback') || keys.some((k) => /\bfailure (modes?|scenarios?)\b|\bplaybooks\b/.test(looseKey(k)))) return 'service';
  if (keys.some((k) => /^(meaning|impact)\b/.test(looseKey(k)))) return 'alert';
  return 'guide';
}
