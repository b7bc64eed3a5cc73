/**
 * What makes the Markdown parser's inline pass quadratic: brackets (each `]` looks back over the
 * open `[`s of its paragraph) and emphasis runs (each closer looks back over the openers). Table
 * cells (`|`) are linear but the costliest thing per byte. Counted per paragraph and in all.
 */
export interface InlineBudget {
  paragraphBrackets: number;
  paragraphEmphasis: number;
  brackets: number;
  emphasis: number;
  pipes: number;
}

export interface InlineOver {
  /** 0-based index in the text given to `add`. */
  at: number;
  message: string;
  hint: string;
}

const wordChar = /[\p{L}\p{N}]/u;

export class InlineCounts {
  private brackets = 0;
  private emphasis = 0;
  private pipes = 0;
  private paragraphBrackets = 0;
  private paragraphEmphasis = 0;

  /** `paragraph` names the unit in messages; `scope` says what the totals cover. */
  constructor(
    private readonly budget: InlineBudget,
    private readonly words: { paragraph: string; scope: string },
  ) {}

  newParagraph(): void {
    this.paragraphBrackets = 0;
    this.paragraphEmphasis = 0;
  }

  add(text: string): InlineOver | undefined {
    const { paragraph, scope } = this.words;
    const split = `split the ${paragraph} with blank lines, or put the text in a \`\`\`text block`;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === '[' || ch === ']') {
        if (++this.paragraphBrackets > this.budget.paragraphBrackets) return { at: i, message: `this ${paragraph} has more than ${this.budget.paragraphBrackets} "[" and "]"`, hint: split };
        if (++this.brackets > this.budget.brackets) return { at: i, message: `the runbook has more than ${this.budget.brackets} "[" and "]"${scope}`, hint: 'split the runbook' };
      } else if (ch === '|') {
        if (++this.pipes > this.budget.pipes) return { at: i, message: `the runbook has more than ${this.budget.pipes} "|"${scope}`, hint: 'make the tables smaller, or split the runbook' };
      } else if ((ch === '*' || ch === '_') && text[i - 1] !== ch && delimits(text, i)) {
        if (++this.paragraphEmphasis > this.budget.paragraphEmphasis) return { at: i, message: `this ${paragraph} has more than ${this.budget.paragraphEmphasis} runs of "*" or "_"`, hint: split };
        if (++this.emphasis > this.budget.emphasis) return { at: i, message: `the runbook has more than ${this.budget.emphasis} runs of "*" or "_"${scope}`, hint: 'split the runbook' };
      }
    }
    return undefined;
  }
}

/** `_` inside a word (snake_case) can neither open nor close emphasis, so it costs nothing. */
function delimits(text: string, start: number): boolean {
  if (text[start] === '*') return true;
  let end = start;
  while (text[end] === '_') end++;
  return !(wordChar.test(text[start - 1] ?? '') && wordChar.test(text[end] ?? ''));
}
