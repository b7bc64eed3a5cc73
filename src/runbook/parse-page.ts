import type { Code, Nodes, RootContent } from 'mdast';
import { headingMeaning } from './heading-vocabulary.ts';
import type { Located, PageBlock, PageContent, ProseItem } from './model.ts';
import { headingParts, plainText } from './parse-headings.ts';
import { parseFenceInfo } from './parse-info.ts';
import { inlineCodes, linkTargets } from './parse-nodes.ts';
import { commandOf, shellLangs } from './parse-phase.ts';

/** Database and cache languages: their statements are checked for what they destroy, not run as shell. */
export const statementLangs = new Set(['sql', 'psql', 'pgsql', 'postgresql', 'postgres', 'mysql', 'plsql', 'redis']);

interface Walk {
  out: PageContent;
  headings: string[];
  /** Prose since the last code block in this container: what a guard sentence is written in. */
  recent: string[];
  skip: ReadonlySet<Code>;
}

/**
 * The whole page as a person reads it: every fenced block and every paragraph, list item and
 * table row, wherever it sits (in list items, block quotes, before the first `###`, under a
 * heading no alias names). The drill's structure (failure modes, phases) is parsed apart; what
 * could hurt at 3 a.m. is looked for here, in every section.
 */
export function pageContent(nodes: readonly RootContent[], skip: ReadonlySet<Code>): PageContent {
  const walk: Walk = { out: { blocks: [], prose: [], empty: [], unmapped: [] }, headings: [], recent: [], skip };
  nodes.forEach((node, index) => {
    if (node.type === 'heading') heading(walk, node, nodes, index);
    else visit(walk, node, '');
  });
  return walk.out;
}

function heading(walk: Walk, node: Extract<RootContent, { type: 'heading' }>, nodes: readonly RootContent[], index: number): void {
  const parts = headingParts(node);
  walk.headings.length = Math.max(0, node.depth - 1);
  walk.headings[node.depth - 1] = parts.bareTitle || parts.title;
  walk.recent = [];
  const line = node.position?.start.line ?? 1;
  const meaning = headingMeaning(parts.key);
  if (node.depth === 2 && !meaning.known && parts.key) walk.out.unmapped.push({ text: parts.title, line, column: 1 });
  // "## Mitigation" followed straight by the next section: the step nobody wrote.
  const next = nodes[index + 1];
  const ends = !next || (next.type === 'heading' && next.depth <= node.depth);
  if (meaning.phase && node.depth <= 4 && ends) walk.out.empty.push({ text: parts.title, line, column: 1 });
}

function where(walk: Walk): string {
  const path = walk.headings.slice(1).filter(Boolean);
  return path.length > 0 ? path.join(' › ') : (walk.headings[0] ?? 'top of the page');
}

function visit(walk: Walk, node: Nodes, itemText: string): void {
  if (node.type === 'code') {
    if (!walk.skip.has(node)) block(walk, node, itemText);
    walk.recent = [];
  } else if (node.type === 'paragraph') {
    addProse(walk, node, plainText(node));
  } else if (node.type === 'list') {
    // A list is one procedure: "Ensure you're on the replica!" two items up guards the `rm -r` below.
    const before: string[] = [];
    for (const item of node.children) {
      const own = item.children.filter((c) => c.type === 'paragraph');
      const text = own.map((c) => plainText(c)).join('\n').trim();
      if (item.children.length === 0 || (!text && item.children.every((c) => c.type === 'paragraph'))) {
        walk.out.empty.push({ text: '', line: item.position?.start.line ?? 1, column: item.position?.start.column ?? 1 });
      }
      const procedure = [itemText, ...before].filter(Boolean).join('\n');
      if (text) addProse(walk, item, text, own, procedure);
      const saved = walk.recent;
      walk.recent = text ? [text] : [];
      for (const child of item.children) if (child.type !== 'paragraph') visit(walk, child, procedure);
      walk.recent = saved;
      if (text) before.push(text);
    }
  } else if (node.type === 'blockquote') {
    for (const child of node.children) visit(walk, child, itemText);
  } else if (node.type === 'table') {
    for (const row of node.children.slice(1)) addProse(walk, row, plainText(row));
  }
}

function addProse(walk: Walk, node: Nodes, text: string, parts: readonly Nodes[] = [node], procedure = ''): void {
  const start = node.position?.start;
  const item: ProseItem = { before: [...walk.recent, procedure].filter(Boolean).join('\n'), text: text.trim(), line: start?.line ?? 1, column: start?.column ?? 1, where: where(walk), inline: parts.flatMap((p) => inlineCodes(p)), links: parts.flatMap((p) => linkTargets(p)) };
  if (!item.text) return;
  walk.out.prose.push(item);
  walk.recent = [...walk.recent.slice(-1), item.text];
}

function block(walk: Walk, node: Code, itemText: string): void {
  const info = parseFenceInfo(node.lang, node.meta);
  const lang = info.lang;
  const statements = statementLangs.has(lang);
  // An unlabelled block counts when it shows prompts: people leave the language off transcripts.
  if (!shellLangs.includes(lang) && !statements && lang !== '') return;
  const { command, sourceMap, lines } = statements ? { command: '', sourceMap: [], lines: undefined } : commandOf(node, lang === '' ? 'console' : lang);
  const first = (node.position?.start.line ?? 1) + 1;
  const indent = (node.position?.start.column ?? 1) - 1;
  const stated: Located[] = statements
    ? node.value.split('\n').flatMap((text, i) => (text.trim() ? [{ text, line: first + i, column: indent + 1 }] : []))
    : (lines?.statements ?? []).map((s) => ({ text: s.text, line: first + s.line, column: indent + s.column + 1 }));
  if (!command.trim() && stated.length === 0) return;
  const remote = (lines?.commands ?? []).flatMap((c) => c.origins.map(() => c.remote));
  const page: PageBlock = {
    block: { name: `${lang || 'text'}-${walk.out.blocks.length + 1}`, line: first - 1, lang, command, manual: false, attributes: info.attributes, text: walk.recent.join('\n'), inline: [], sourceMap },
    where: where(walk),
    context: [...walk.headings.filter(Boolean), itemText, ...walk.recent].join('\n'),
    near: [walk.headings.filter(Boolean).at(-1) ?? '', ...walk.recent].join('\n'),
    remote,
    statements: stated,
  };
  walk.out.blocks.push(page);
}
