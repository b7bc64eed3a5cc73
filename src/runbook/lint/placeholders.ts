import type { Runbook } from '../model.ts';

/** `NODE=<from the alert>`, `export TOPIC={{ topic }}`, `GROUP=...`, `ID=CHANGEME`: a blank on the right of `=`. */
export const placeholderAssignment = /(^|[\s;&|(])(?:(?:export|local|readonly|declare)\s+)?([A-Za-z_]\w*)=(["']?)(<[^<>\n]+>|\{\{[^}\n]*\}\}|\.\.\.|TODO|TBD|CHANGEME|changeme|REPLACE_?ME|XX+|xxx+)\3(?=$|[\s;&|)])/g;

/**
 * Upper-case names the page's prose explains ("set NAMESPACE to the alert's namespace", a
 * `$NODE` on its own): a person knows what to put there, even if no command sets it.
 */
export function explainedNames(runbook: Runbook): Set<string> {
  const names = new Set<string>();
  for (const prose of runbook.page.prose) {
    let text = prose.text;
    for (const code of prose.inline) {
      // A command quoted in prose uses the name; a name quoted alone is the prose talking about it.
      if (/^\$?\{?[A-Za-z_]\w*\}?$/.test(code.text.trim())) continue;
      text = text.replace(code.text, ' ');
    }
    for (const m of text.matchAll(/\$?\{?\b([A-Z][A-Z0-9_]{2,})\b/g)) names.add(m[1]!);
  }
  return names;
}

/** Names any block of the page assigns: on-call pastes the page in one shell, top to bottom. */
export function pageAssigned(scans: Iterable<{ assigned: ReadonlySet<string> }>): Set<string> {
  const names = new Set<string>();
  for (const scan of scans) for (const name of scan.assigned) names.add(name);
  return names;
}

/** Prose before a block that says where its values come from: "the node indicated in the alert". */
const fromTheAlert = /\b(from|in|of|by) the alert\b|\balert('s)? (message|labels?|annotations?|description)\b|\bindicated\b|\bthat (node|pod|namespace|job|container|operator|deployment|volume|instance)\b|\bthe affected\b/i;

export function valuesExplained(context: string): boolean {
  return fromTheAlert.test(context);
}
