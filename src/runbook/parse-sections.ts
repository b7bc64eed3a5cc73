import type { RootContent } from 'mdast';
import type { EscalationSection, HealthMetric, Located, RollbackSection } from './model.ts';
import { plainText } from './parse-headings.ts';
import { tableRows } from './parse-nodes.ts';
import { parseBlocks, type LocalFinding } from './parse-phase.ts';

/**
 * Health: the rows of a table whose header names the thresholds (green / yellow / red, or
 * healthy / warning / critical). The first column is the metric, whatever its header says.
 */
export function healthMetrics(nodes: readonly RootContent[]): HealthMetric[] {
  const out: HealthMetric[] = [];
  for (const node of nodes) {
    if (node.type !== 'table') continue;
    const { headers, rows } = tableRows(node);
    const column = (...names: string[]) => headers.find((h) => names.some((n) => h.includes(n)));
    const green = column('green', 'healthy', 'ok', 'good');
    const yellow = column('yellow', 'warn', 'degraded', 'amber');
    const red = column('red', 'critical', 'page', 'alert', 'bad');
    if (!green && !red) continue;
    for (const row of rows) {
      const metric = row.cells[headers[0] ?? ''];
      if (!metric?.text) continue;
      out.push({ line: row.line, metric, green: green ? row.cells[green] : undefined, yellow: yellow ? row.cells[yellow] : undefined, red: red ? row.cells[red] : undefined });
    }
  }
  return out;
}

/**
 * Escalation: every table row and list item is a contact to try, in order, except what is
 * plainly not a contact: a table without a who/contact column (a timeline of actions), a list
 * of conditions ("### When to escalate", "Escalate to L3 if:").
 */
export function escalationSection(line: number, nodes: readonly RootContent[]): EscalationSection {
  const contacts: Located[] = [];
  let conditions = false;
  let previous = '';
  for (const node of nodes) {
    if (node.type === 'heading') conditions = /\b(when|criteria|triggers?|conditions?|information to|what to)\b/i.test(plainText(node));
    if (node.type === 'table') {
      const { headers, rows } = tableRows(node);
      if (!headers.some((h) => /contact|phone|pager|who|name|person|role|team|owner|channel|how|level|rota|escalat/.test(h))) continue;
      for (const row of rows) contacts.push({ text: row.text, line: row.line, column: row.column });
    } else if (node.type === 'list' && !conditions && !/\b(if|when|criteria)\b[^.]*:\s*$/i.test(previous)) {
      for (const item of node.children) contacts.push({ text: plainText(item).trim(), line: item.position?.start.line ?? 1, column: item.position?.start.column ?? 1 });
    }
    previous = node.type === 'paragraph' ? plainText(node).trim() : '';
  }
  // Table headers ("phone / pager") are not contacts; leave them out of the text judged.
  const prose = nodes.filter((n) => n.type !== 'table' && n.type !== 'list').map((n) => plainText(n));
  const listed = nodes.filter((n) => n.type === 'list').map((n) => plainText(n));
  return { line, contacts, text: [...prose, ...listed, ...contacts.map((c) => c.text)].join('\n') };
}

/** Rollback: its command blocks (there should be one) and the prose saying who decides. */
export function rollbackSection(line: number, estimateMs: number | undefined, nodes: readonly RootContent[], findings: LocalFinding[]): RollbackSection {
  const content = parseBlocks('rollback', nodes);
  findings.push(...content.findings);
  const prose = nodes.filter((n) => n.type !== 'code').map((n) => plainText(n));
  const blocks = content.blocks.filter((b) => !b.manual);
  // Prose-only rollback stays prose: the linter says it is not a command, not a manual step each.
  return { line, estimateMs, blocks, text: prose.join('\n') };
}

