/**
 * Parser for alert rules and steady-state conditions.
 *
 *   rule      := condition ( "and" condition )* [ "for" duration ]
 *   condition := metric "(" label "=" ident ")" op number [ unit ]
 *   metric    := "lag" | "throughput" | "rss" | "invalid" | "members"
 *   label     := "group"   (lag, throughput, members)
 *              | "agent"   (rss, invalid)
 *   op        := "<" | "<=" | ">" | ">=" | "==" | "!="
 *   number    := [ "-" ] digits [ "." digits ]     (|number| <= 1e15)
 *   unit      := "/s"                     (rate: throughput, invalid; optional)
 *              | "KB" | "MB" | "GB"       (bytes, binary multiples: rss)
 *   ident     := [A-Za-z0-9_] [A-Za-z0-9_.-]*
 *   duration  := as in src/core/duration.ts: 250ms, 5s, 2m, 1m30s   (0ms to 6h)
 *
 * Keywords are case-insensitive. The unit may touch the number (`40/s`) or follow it (`40 /s`).
 */
import { checkDuration, durationCeilings } from '../core/duration.ts';
import { metricNames, metricSpecs, operators, units, type Condition, type MetricName, type Operator, type Rule, type Unit } from './rule.ts';
import { closest, quoteList } from './suggest.ts';
import { tokenize, type Token } from './tokenize.ts';

export interface RuleSyntaxError {
  message: string;
  /** 1-based column in the rule text. */
  column: number;
  hint: string;
}

export type ParseRuleResult = { ok: true; rule: Rule } | { ok: false; error: RuleSyntaxError };

class Stop {
  constructor(readonly error: RuleSyntaxError) {}
}

const identPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const valuePattern = /^(-?\d+(?:\.\d+)?)(\/s|[KMG]B)?$/i;
/** Past 2^53 numbers lose whole units and past ~1e308 they are Infinity; no metric gets near 1e15. */
export const maxThreshold = 1e15;

export function parseRule(text: string): ParseRuleResult {
  const lexed = tokenize(text);
  if (!lexed.ok) {
    return {
      ok: false,
      error: {
        message: `unexpected character "${lexed.char}" at column ${lexed.column}`,
        column: lexed.column,
        hint: 'a rule looks like: throughput(group=inventory) < 40/s for 5s',
      },
    };
  }
  try {
    return { ok: true, rule: new Parser(lexed.tokens).rule() };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, error: e.error };
    throw e;
  }
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  rule(): Rule {
    if (this.peek().kind === 'end') {
      this.fail(this.peek(), 'the rule is empty', 'a rule looks like: lag(group=inventory) > 500 for 3s');
    }
    const conditions = [this.condition()];
    while (this.keyword('and')) conditions.push(this.condition());
    let forMs: number | undefined;
    if (this.keyword('for')) forMs = this.duration();
    const rest = this.peek();
    if (rest.kind !== 'end') {
      const allowed = forMs === undefined ? '"and", "for" or the end of the rule' : 'the end of the rule (the "for" window comes last)';
      this.fail(rest, `unexpected "${rest.text}"`, `expected ${allowed}`);
    }
    return { conditions, forMs };
  }

  private condition(): Condition {
    const metricToken = this.next();
    const metric = metricToken.text as MetricName;
    if (metricToken.kind !== 'word' || !metricNames.includes(metric)) {
      const guess = closest(metricToken.text, metricNames);
      this.fail(
        metricToken,
        `unknown metric ${describe(metricToken)}`,
        `use one of ${quoteList(metricNames)}${guess ? ` (did you mean "${guess}"?)` : ''}`,
      );
    }
    const spec = metricSpecs[metric];
    this.expectPunct('(', `"(" after ${metric}, as in ${metric}(${spec.label}=NAME)`);
    const labelToken = this.next();
    if (labelToken.text !== spec.label) {
      this.fail(labelToken, `${metric} is selected by "${spec.label}", not ${describe(labelToken)}`, `write ${metric}(${spec.label}=NAME)`);
    }
    this.expectPunct('=', `"=" after ${spec.label}, as in ${metric}(${spec.label}=NAME)`);
    const targetToken = this.next();
    if (targetToken.kind !== 'word' || !identPattern.test(targetToken.text)) {
      this.fail(targetToken, `expected a ${spec.label} name, got ${describe(targetToken)}`, 'names use letters, digits, "_", "-" and "."');
    }
    this.expectPunct(')', `")" to close ${metric}(${spec.label}=${targetToken.text}`);
    const opToken = this.next();
    if (opToken.kind !== 'op') {
      this.fail(opToken, `expected a comparison after ${metric}(...), got ${describe(opToken)}`, `use one of ${quoteList(operators)}`);
    }
    const { value, unit } = this.value(metric);
    return { metric, label: spec.label, target: targetToken.text, op: opToken.text as Operator, value, unit };
  }

  private value(metric: MetricName): { value: number; unit: Unit | undefined } {
    const token = this.next();
    const m = token.kind === 'word' ? valuePattern.exec(token.text) : null;
    if (!m) {
      this.fail(token, `expected a number, got ${describe(token)}`, 'write a number with an optional unit: 40/s, 200MB, 500');
    }
    let unitText = m[2];
    let unitToken = token;
    const following = this.peek();
    if (!unitText && following.kind === 'word' && units.some((u) => u.toLowerCase() === following.text.toLowerCase())) {
      unitText = following.text;
      unitToken = this.next();
    }
    const unit = unitText ? (units.find((u) => u.toLowerCase() === unitText.toLowerCase()) as Unit) : undefined;
    const allowed = metricSpecs[metric].units;
    if (unit && !allowed.includes(unit)) {
      const fix = allowed.length ? `${metric} takes ${quoteList(allowed)}` : `${metric} is a plain number; drop the unit`;
      this.fail(unitToken, `unit "${unitText}" does not apply to ${metric}`, fix);
    }
    const value = Number(m[1]);
    if (!(Math.abs(value) <= maxThreshold)) {
      this.fail(token, `threshold ${describe(token)} is out of range (allowed: -1e15 to 1e15)`, 'write a threshold of at most 15 digits');
    }
    return { value, unit };
  }

  private duration(): number {
    const token = this.next();
    if (token.kind !== 'word') {
      this.fail(token, `expected a duration after "for", got ${describe(token)}`, 'write a duration such as 500ms, 5s, 2m or 1m30s');
    }
    // A window longer than a drill can run could never be met.
    const checked = checkDuration(token.text, { max: durationCeilings.drill });
    if (!checked.ok) this.fail(token, `"for" window ${checked.message}`, checked.hint);
    return checked.ms;
  }

  private keyword(word: string): boolean {
    const t = this.peek();
    if (t.kind === 'word' && t.text.toLowerCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }

  private expectPunct(p: '(' | ')' | '=', expected: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== p) this.fail(t, `expected ${expected}, got ${describe(t)}`, `insert "${p}"`);
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    const t = this.tokens[this.i]!;
    if (t.kind !== 'end') this.i++;
    return t;
  }

  private fail(token: Token, message: string, hint: string): never {
    throw new Stop({ message: `${message} at column ${token.column}`, column: token.column, hint });
  }
}

function describe(t: Token): string {
  return t.kind === 'end' ? 'the end of the rule' : `"${t.text}"`;
}
