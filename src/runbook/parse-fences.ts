import type { Code, Nodes, Root } from 'mdast';
import type { LocalFinding } from './parse-phase.ts';

/**
 * Fenced code blocks that never close. The parser lets such a fence run to the end of its
 * container (often the whole rest of the runbook), so without this finding a forgotten ``` shows
 * up as a step made of headings and prose, and as "command not on PATH" far from the cause.
 */
export function unclosedFences(root: Root, lines: readonly string[]): { nodes: Set<Code>; findings: LocalFinding[] } {
  const nodes = new Set<Code>();
  const findings: LocalFinding[] = [];
  const visit = (node: Nodes) => {
    if (node.type === 'code' && isUnclosed(node, lines)) {
      nodes.add(node);
      const start = node.position!.start;
      const marker = fenceMarker(lines[start.line - 1] ?? '', start.column)!;
      findings.push({
        line: start.line,
        column: start.column,
        rule: 'fence-unclosed',
        severity: 'error',
        message: `the code block opened here with ${marker} is never closed, so everything after it is code`,
        hint: `close it with a line of ${marker} after its last line`,
      });
    }
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(root);
  return { nodes, findings };
}

function isUnclosed(node: Code, lines: readonly string[]): boolean {
  const { start, end } = node.position ?? {};
  if (!start || !end) return false;
  const marker = fenceMarker(lines[start.line - 1] ?? '', start.column);
  if (!marker) return false; // indented code: it has no fence to close
  if (end.line === start.line) return true;
  // The closing line sits behind the same container prefix (`> `, indentation) as the content.
  const closing = /(`{3,}|~{3,})[ \t]*$/.exec(lines[end.line - 1] ?? '');
  const before = closing ? (lines[end.line - 1] ?? '').slice(0, closing.index) : '';
  return !closing || closing[1]![0] !== marker[0] || closing[1]!.length < marker.length || !/^[\s>]*$/.test(before);
}

function fenceMarker(line: string, column: number): string | undefined {
  return /^(`{3,}|~{3,})/.exec(line.slice(column - 1))?.[1];
}
