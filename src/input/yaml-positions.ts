import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** Where a value (or, when it is missing, its nearest existing parent) sits in the YAML source. */
export interface Located {
  line: number;
  column: number;
  /** The node at the full path, if the path exists in the document. */
  node: Node | undefined;
  /** The key node of the last path segment, if it exists (unknown-key problems point here). */
  keyNode: Node | undefined;
}

export function locate(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): Located {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  let anchor: Node | undefined = isNode(node) ? node : undefined;
  for (const segment of path) {
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return at(lineCounter, anchor, undefined, undefined);
      keyNode = isNode(pair.key) ? pair.key : undefined;
      node = pair.value;
      // `key:` with nothing after it has no value node; the key is the best place to point.
      anchor = isNode(node) ? node : keyNode;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      anchor = isNode(node) ? node : anchor;
    } else {
      return at(lineCounter, anchor, undefined, undefined);
    }
  }
  return at(lineCounter, anchor, isNode(node) ? node : undefined, keyNode);
}

function at(lineCounter: LineCounter, anchor: Node | undefined, node: Node | undefined, keyNode: Node | undefined): Located {
  const pos = anchor?.range ? lineCounter.linePos(anchor.range[0]) : { line: 1, col: 1 };
  return { line: pos.line, column: pos.col, node, keyNode };
}

export function positionOf(lineCounter: LineCounter, node: Node): { line: number; column: number } {
  const pos = node.range ? lineCounter.linePos(node.range[0]) : { line: 1, col: 1 };
  return { line: pos.line, column: pos.col };
}

function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && 'range' in x;
}

/** A value as a person would recognize it in an error message. */
export function describeNode(node: Node | undefined): string {
  if (node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'an empty value';
    const text = typeof v === 'string' ? `"${v}"` : String(v);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  }
  return 'an alias';
}
