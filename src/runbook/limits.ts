import { InlineCounts } from './inline-counts.ts';
import { Cursor, greedyPrefix, matchContainers, openContainers, thematicBreak, type Container } from './markdown-containers.ts';

/**
 * What the Markdown parser is given at most. mdast-util-from-markdown is superlinear on some
 * shapes (brackets or `**` runs within one paragraph are quadratic; deep nesting is slow and
 * recurses until the stack overflows) and costs a few µs a byte on any. The limits sit far above
 * what a person writes and keep a runbook at the limits well under a second to parse
 * (figures in docs/runbook-format.md).
 */
export const markdownLimits = {
  /** The runbook file cap (fileLimits.runbook), for text that did not come from a file. */
  chars: 96 * 1024,
  lines: 3000,
  /** Block quotes and list items open at once. */
  depth: 16,
  /** Block quotes and list items in all: each one the parser closes costs time in proportion to the runbook. */
  containers: 1500,
  /** Outside code blocks, where the parser reads inline Markdown. */
  inline: { paragraphBrackets: 500, paragraphEmphasis: 300, brackets: 10_000, emphasis: 10_000, pipes: 6000 },
  /**
   * Counted on every line, code blocks included, in case this line-based reading of where code
   * ends is wrong (an HTML block holding a ```, odd nesting): the parser would then read Markdown
   * where the scan saw code, and these bound what that can cost. A "block" is a run of lines
   * without a blank one; the prefix is a line's leading `>`, list markers and spaces.
   */
  anyLine: {
    prefixMarkers: 16,
    prefixColumns: 48,
    inline: { paragraphBrackets: 2000, paragraphEmphasis: 2000, brackets: 20_000, emphasis: 20_000, pipes: 30_000 },
  },
} as const;

export interface LimitBreach {
  line: number;
  column: number;
  message: string;
  hint: string;
}

interface Fence {
  char: string;
  length: number;
  /** The containers the fence sits in (all open ones): when one of them ends, so does the fence. */
  depth: number;
}

const fenceOpening = /^(`{3,}|~{3,})/;

/**
 * One pass over the lines, linear in the text: the first limit the runbook goes over, or
 * undefined. It follows CommonMark's container rules (quote markers, list-item indentation,
 * lazy continuation, fences) as micromark applies them to what people write, and where in doubt
 * counts deeper and more (code spans and escaped brackets count). Inputs built to exploit
 * micromark's corner cases can pass it a few levels too deep; the context-free anyLine checks
 * still hold them to 40 levels and bounded counts.
 */
export function checkMarkdownLimits(text: string): LimitBreach | undefined {
  if (text.length > markdownLimits.chars) {
    return { line: 1, column: 1, message: `the runbook has ${text.length} characters, over the limit of ${markdownLimits.chars}`, hint: 'split it into several runbooks' };
  }
  const lines = text.split('\n');
  if (lines.length > markdownLimits.lines) {
    return { line: markdownLimits.lines + 1, column: 1, message: `the runbook has ${lines.length} lines, over the limit of ${markdownLimits.lines}`, hint: 'split it into several runbooks' };
  }
  const scan = new LimitScan();
  for (let index = 0; index < lines.length; index++) {
    const found = scan.line(lines[index]!.replace(/\r$/, ''), index + 1);
    if (found) return found;
  }
  return undefined;
}

/** The line-by-line state of checkMarkdownLimits. */
class LimitScan {
  private stack: Container[] = [];
  private fence: Fence | undefined;
  // Two readings of "a paragraph is open", each erring on the safe side. `mayContinue`: the line
  // before was not blank, so this one may be a lazy continuation (keeping open containers only
  // ever counts deeper). `surely`: it was text (a paragraph or indented code), so an empty or
  // renumbered list item cannot interrupt it. Where micromark's own rules go further than these,
  // markdownLimits.anyLine bounds the error.
  private mayContinue = false;
  private surely = false;
  private containers = 0;
  private readonly counts = new InlineCounts(markdownLimits.inline, { paragraph: 'paragraph', scope: ' outside code blocks' });
  private readonly anyLine = new InlineCounts(markdownLimits.anyLine.inline, { paragraph: 'block of lines', scope: '' });

  /** The context-free check runs on every line, code included; the scan's own finding is more precise, so it wins. */
  line(text: string, line: number): LimitBreach | undefined {
    const backstop = checkAnyLine(text, this.anyLine);
    const found = this.scan(text);
    const breach = found ?? backstop;
    return breach && { line, ...breach };
  }

  private scan(line: string): Omit<LimitBreach, 'line'> | undefined {
    const cursor = new Cursor(line);
    const matched = matchContainers(cursor, this.stack);
    if (this.fence) {
      if (matched === this.fence.depth) {
        if (isClosingFence(cursor.rest(), this.fence)) this.fence = undefined;
        return undefined;
      }
      this.fence = undefined;
    }
    // As micromark: only a line that continues every open container can interrupt its paragraph.
    const opened = openContainers(cursor, markdownLimits.depth + 1 - matched, this.surely && matched === this.stack.length);
    // Four columns in is indented code (or paragraph text): no fence or heading starts there.
    const indented = cursor.skipSpaces() >= 4;
    const rest = cursor.rest();
    const blank = rest.trim() === '' && opened.length === 0;
    const blockStart = !indented && (fenceOpening.test(rest) || /^#{1,6}(\s|$)/.test(rest) || thematicBreak.test(rest));
    const continues = this.mayContinue && opened.length === 0 && !blank && !blockStart;
    if (!(continues && matched < this.stack.length)) this.stack = [...this.stack.slice(0, matched), ...opened];
    const depth = this.stack.length;
    if (depth > markdownLimits.depth) {
      return { column: cursor.column + 1, message: `block quotes and lists nest ${depth} deep here, over the limit of ${markdownLimits.depth}`, hint: `nest at most ${markdownLimits.depth} levels` };
    }
    this.containers += opened.length;
    if (this.containers > markdownLimits.containers) {
      return { column: 1, message: `the runbook has more than ${markdownLimits.containers} list items and block quotes`, hint: 'split it into several runbooks' };
    }
    // A paragraph's inline content is parsed as one: its bracket budget runs until it ends.
    if (!continues) this.counts.newParagraph();
    const opening = indented ? null : fenceOpening.exec(rest);
    // A backtick fence whose info string has a backtick is inline code, not a fence.
    if (opening && !(opening[1]!.startsWith('`') && rest.slice(opening[1]!.length).includes('`'))) {
      this.fence = { char: opening[1]![0]!, length: opening[1]!.length, depth };
      this.mayContinue = this.surely = false;
      return undefined;
    }
    const over = this.counts.add(rest);
    if (over) return { column: cursor.index + over.at + 1, message: over.message, hint: over.hint };
    this.mayContinue = !blank;
    this.surely = rest.trim() !== '' && !blockStart;
    return undefined;
  }
}

function isClosingFence(rest: string, fence: Fence): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(rest);
  return m !== null && m[1]![0] === fence.char && m[1]!.length >= fence.length;
}

/** The context-free checks of markdownLimits.anyLine. */
function checkAnyLine(line: string, counts: InlineCounts): Omit<LimitBreach, 'line'> | undefined {
  const { prefixMarkers, prefixColumns } = markdownLimits.anyLine;
  const prefix = greedyPrefix(line);
  if (prefix.markers > prefixMarkers) {
    return { column: 1, message: `this line starts with more than ${prefixMarkers} ">" and list markers`, hint: `nest block quotes and lists at most ${markdownLimits.depth} levels` };
  }
  if (prefix.columns > prefixColumns) {
    return { column: 1, message: `this line's block quotes, list markers and indentation reach past column ${prefixColumns}`, hint: 'indent less; deep indentation nests lists too deeply to parse quickly' };
  }
  if (line.trim() === '') counts.newParagraph();
  const over = counts.add(line);
  return over ? { column: over.at + 1, message: over.message, hint: over.hint } : undefined;
}
