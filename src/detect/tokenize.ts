/**
 * Splits a rule into tokens with 1-based columns. Words are greedy (`40/s`, `200MB`, `1m30s`,
 * `inventory-api`, `scorer_processed_total` are one word each) and the parser decides what a
 * word means in its position. A string is a label value in double quotes, with the escapes of
 * Prometheus' own format (`\\`, `\"`, `\n`); `text` holds it decoded.
 */
export type Token =
  | { kind: 'word'; text: string; column: number }
  | { kind: 'string'; text: string; column: number }
  | { kind: 'op'; text: string; column: number }
  | { kind: 'punct'; text: '(' | ')' | '=' | ','; column: number }
  | { kind: 'end'; text: ''; column: number };

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; message: string; column: number; hint?: string };

// `:` for Prometheus metric names (recording-rule style `job:errors:rate5m`).
const wordChar = /[A-Za-z0-9_.\-/:]/;
const twoCharOps = ['<=', '>=', '==', '!='];
const escapes: Record<string, string> = { '\\': '\\', '"': '"', n: '\n' };

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
    } else if (ch === '"') {
      const s = readString(text, i);
      if (!s.ok) return s;
      tokens.push({ kind: 'string', text: s.value, column });
      i = s.end;
    } else if (twoCharOps.includes(text.slice(i, i + 2))) {
      tokens.push({ kind: 'op', text: text.slice(i, i + 2), column });
      i += 2;
    } else if (ch === '<' || ch === '>') {
      tokens.push({ kind: 'op', text: ch, column });
      i++;
    } else if (ch === '(' || ch === ')' || ch === '=' || ch === ',') {
      tokens.push({ kind: 'punct', text: ch, column });
      i++;
    } else {
      return { ok: false, message: `unexpected character "${ch}" at column ${column}`, column };
    }
  }
  tokens.push({ kind: 'end', text: '', column: text.length + 1 });
  return { ok: true, tokens };
}

/** A quoted label value starting at `start` (the opening quote); `end` is past the closing one. */
function readString(text: string, start: number): { ok: true; value: string; end: number } | { ok: false; message: string; column: number; hint: string } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') return { ok: true, value, end: i + 1 };
    if (ch === '\\') {
      const next = text[i + 1];
      const decoded = next === undefined ? undefined : escapes[next];
      if (decoded === undefined) {
        return { ok: false, message: `unknown escape "\\${next ?? ''}" in a label value at column ${i + 1}`, column: i + 1, hint: 'inside quotes, write \\\\ for a backslash, \\" for a quote and \\n for a newline' };
      }
      value += decoded;
      i += 2;
    } else {
      value += ch;
      i++;
    }
  }
  return { ok: false, message: `the label value opened at column ${start + 1} is never closed`, column: start + 1, hint: 'close it with a double quote: code="500"' };
}
