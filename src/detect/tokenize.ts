/**
 * Splits a rule into tokens with 1-based columns. Words are greedy (`40/s`, `200MB`, `1m30s`,
 * `inventory-api` are one word each) and the parser decides what a word means in its position.
 */
export type Token =
  | { kind: 'word'; text: string; column: number }
  | { kind: 'op'; text: string; column: number }
  | { kind: 'punct'; text: '(' | ')' | '='; column: number }
  | { kind: 'end'; text: ''; column: number };

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; char: string; column: number };

const wordChar = /[A-Za-z0-9_.\-/]/;
const twoCharOps = ['<=', '>=', '==', '!='];

export function tokenize(text: string): TokenizeResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const column = i + 1;
    if (/\s/.test(ch)) {
      i++;
    } else if (wordChar.test(ch)) {
      let j = i;
      while (j < text.length && wordChar.test(text[j]!)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j), column });
      i = j;
    } else if (twoCharOps.includes(text.slice(i, i + 2))) {
      tokens.push({ kind: 'op', text: text.slice(i, i + 2), column });
      i += 2;
    } else if (ch === '<' || ch === '>') {
      tokens.push({ kind: 'op', text: ch, column });
      i++;
    } else if (ch === '(' || ch === ')' || ch === '=') {
      tokens.push({ kind: 'punct', text: ch, column });
      i++;
    } else {
      return { ok: false, char: ch, column };
    }
  }
  tokens.push({ kind: 'end', text: '', column: text.length + 1 });
  return { ok: true, tokens };
}
