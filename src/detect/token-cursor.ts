import type { Token } from './tokenize.ts';

export interface RuleSyntaxError {
  message: string;
  /** 1-based column in the rule text. */
  column: number;
  hint: string;
}

/** Thrown inside the parser only; parseRule turns it into its result. */
export class Stop {
  constructor(readonly error: RuleSyntaxError) {}
}

/** The parser's position in the tokens, and the one way it stops: at a token, with a hint. */
export class TokenCursor {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.i]!;
  }

  next(): Token {
    const t = this.tokens[this.i]!;
    if (t.kind !== 'end') this.i++;
    return t;
  }

  /** Consumes a case-insensitive keyword if it comes next. */
  keyword(word: string): boolean {
    const t = this.peek();
    if (t.kind === 'word' && t.text.toLowerCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }

  /** Consumes `p` if it comes next. */
  punct(p: '(' | ')' | '=' | ','): boolean {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === p) {
      this.i++;
      return true;
    }
    return false;
  }

  expectPunct(p: '(' | ')' | '=' | ',', expected: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== p) this.fail(t, `expected ${expected}, got ${describe(t)}`, `insert "${p}"`);
  }

  fail(token: Token, message: string, hint: string): never {
    throw new Stop({ message: `${message} at column ${token.column}`, column: token.column, hint });
  }
}

export function describe(t: Token): string {
  if (t.kind === 'end') return 'the end of the rule';
  return t.kind === 'string' ? `the quoted value "${t.text}"` : `"${t.text}"`;
}
