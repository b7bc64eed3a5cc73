import type { Nodes, Table } from 'mdast';
import type { Located } from './model.ts';
import { plainText } from './parse-headings.ts';

/** A GFM table as rows of cells keyed by the lower-cased header text. */
export interface TableRow {
  line: number;
  column: number;
  cells: Record<string, Located>;
  /** The row as one line of text, cells joined with " | ". */
  text: string;
}

export function tableRows(table: Table): { headers: string[]; rows: TableRow[] } {
  const [head, ...body] = table.children;
  const headers = (head?.children ?? []).map((c) => plainText(c).trim().toLowerCase());
  const rows = body.map((row): TableRow => {
    const cells: Record<string, Located> = {};
    row.children.forEach((cell, i) => {
      const key = headers[i] ?? `column ${i + 1}`;
      // The cell's position starts at its pipe; its first child is where the text starts.
      const start = cell.children[0]?.position?.start ?? cell.position?.start;
      cells[key] = { text: plainText(cell).trim(), line: start?.line ?? 1, column: start?.column ?? 1 };
    });
    return {
      line: row.position?.start.line ?? 1,
      column: row.position?.start.column ?? 1,
      cells,
      text: Object.values(cells)
        .map((c) => c.text)
        .join(' | '),
    };
  });
  return { headers, rows };
}

/** Inline code spans under a node, with their positions. */
export function inlineCodes(node: Nodes): Located[] {
  const out: Located[] = [];
  walk(node, (n) => {
    if (n.type === 'inlineCode') out.push({ text: n.value, line: n.position?.start.line ?? 1, column: n.position?.start.column ?? 1 });
  });
  return out;
}

/** Link and definition targets under a node. */
export function linkTargets(node: Nodes): Located[] {
  const out: Located[] = [];
  walk(node, (n) => {
    if (n.type === 'link' || n.type === 'definition') out.push({ text: n.url, line: n.position?.start.line ?? 1, column: n.position?.start.column ?? 1 });
  });
  return out;
}

function walk(node: Nodes, visit: (n: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child, visit);
}
