/**
 * CommonMark's container rules, line by line, as much as checkMarkdownLimits needs: which open
 * block quotes and list items a line continues, and which new ones it opens.
 */

/**
 * An open block quote, or a list item whose content is `size` columns in from where its parent's
 * prefix ends: a later line continues it when indented that much past the same point (which can
 * sit at another column, when that line's `>` markers are spaced differently).
 */
export type Container = { kind: 'quote' } | { kind: 'item'; size: number };

const listMarker = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/;
export const thematicBreak = /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/** A position in one line; columns expand tabs to the next multiple of four, as CommonMark. */
export class Cursor {
  index = 0;
  column = 0;
  constructor(readonly line: string) {}

  /** Skips up to `max` columns of spaces and tabs; returns the columns skipped. */
  skipSpaces(max = Infinity): number {
    const from = this.column;
    while (this.index < this.line.length && (this.line[this.index] === ' ' || this.line[this.index] === '\t')) {
      const next = this.line[this.index] === '\t' ? this.column + 4 - (this.column % 4) : this.column + 1;
      if (next - from > max) break;
      this.column = next;
      this.index++;
    }
    return this.column - from;
  }

  rest(): string {
    return this.line.slice(this.index);
  }

  save(): [number, number] {
    return [this.index, this.column];
  }

  restore([index, column]: [number, number]): void {
    this.index = index;
    this.column = column;
  }
}

/** How many of the open containers this line continues, consuming their prefixes. */
export function matchContainers(cursor: Cursor, stack: readonly Container[]): number {
  let matched = 0;
  for (const container of stack) {
    const saved = cursor.save();
    if (container.kind === 'quote') {
      cursor.skipSpaces(3);
      if (cursor.line[cursor.index] !== '>') {
        cursor.restore(saved);
        break;
      }
      cursor.index++;
      cursor.column++;
      cursor.skipSpaces(1);
    } else {
      if (cursor.rest().trim() === '') {
        matched++;
        continue;
      }
      if (cursor.skipSpaces(container.size) < container.size) {
        cursor.restore(saved);
        break;
      }
    }
    matched++;
  }
  return matched;
}

/**
 * The new block quotes and list items the line opens; stops after `max` (over the limit anyway).
 * While a paragraph is open (`interrupting`), an empty item or one numbered other than 1 cannot
 * start (CommonMark): its marker is paragraph text, and the open containers stay open.
 */
export function openContainers(cursor: Cursor, max: number, interrupting: boolean): Container[] {
  const opened: Container[] = [];
  while (opened.length < max) {
    const saved = cursor.save();
    const base = cursor.column;
    if (cursor.skipSpaces() >= 4) {
      cursor.restore(saved);
      break;
    }
    if (cursor.line[cursor.index] === '>') {
      cursor.index++;
      cursor.column++;
      cursor.skipSpaces(1);
      opened.push({ kind: 'quote' });
      continue;
    }
    const rest = cursor.rest();
    const marker = thematicBreak.test(rest) ? null : listMarker.exec(rest.slice(0, 11));
    if (!marker) {
      cursor.restore(saved);
      break;
    }
    cursor.index += marker[0].length;
    cursor.column += marker[0].length;
    const afterMarker = cursor.save();
    const spaces = cursor.skipSpaces();
    const empty = cursor.rest().trim() === '';
    if (interrupting && (empty || /^\d/.test(marker[0]) && Number.parseInt(marker[0], 10) !== 1)) {
      cursor.restore(saved);
      break;
    }
    if (empty || spaces > 4) {
      // An empty item, or indented code right after the marker: the content is one space in.
      cursor.restore(afterMarker);
      cursor.skipSpaces(1);
      opened.push({ kind: 'item', size: afterMarker[1] + 1 - base });
      break;
    }
    opened.push({ kind: 'item', size: cursor.column - base });
  }
  return opened;
}

/**
 * The container markers a line starts with, read greedily and without context: `>`, list
 * markers and the spaces between them. Whatever the parser decides about the line, it cannot
 * nest it deeper than this prefix allows (each quote takes a column, each list item two).
 */
export function greedyPrefix(line: string): { markers: number; columns: number } {
  const cursor = new Cursor(line);
  let markers = 0;
  /** Where the last marker ends: indentation alone opens nothing. */
  let columns = 0;
  while (markers <= 64) {
    cursor.skipSpaces();
    if (cursor.line[cursor.index] === '>') {
      cursor.index++;
      cursor.column++;
    } else {
      const marker = listMarker.exec(cursor.line.slice(cursor.index, cursor.index + 11));
      if (!marker) break;
      cursor.index += marker[0].length;
      cursor.column += marker[0].length;
    }
    markers++;
    columns = cursor.column;
  }
  return { markers, columns };
}
