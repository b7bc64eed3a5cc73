/**
 * Parser for alert rules and steady-state conditions.
 *
 *   rule      := condition ( "and" condition )* [ "for" duration ]
 *   condition := metric "(" label "=" ident ")" op number [ unit ]
 *              | "metric" "(" series-args ")" op number [ "/s" ]     (see parse-series.ts)
 *   metric    := "lag" | "throughput" | "rss" | "invalid" | "members"
 *   label     := "group"   (lag, throughput, members)
 *              | "agent"   (rss, invalid)
 *   op        := "<" | "<=" | ">" | ">=" | "==" | "!="
 *   number    := [ "-" ] digits [ "." digits ]     (|number| <= 1e15)
 *   unit      := "/s"                     (rate: throughput, invalid, metric; optional)
 *              | "KB" | "MB" | "GB"       (bytes, binary multiples: rss)
 *   ident     := [A-Za-z0-9_] [A-Za-z0-9_.-]*
 *   duration  := as in src/core/duration.ts: 250ms, 5s, 2m, 1m30s   (0ms to 6h)
 *
 * Keywords are case-insensitive. The unit may touch the number (`40/s`) or follow it (`40 /s`).
 */
import { checkDuration, durationCeilings } from '../core/duration.ts';
import { parseSeriesArguments } from './parse-series.ts';
import type { SeriesSelector } from './series.ts';
import { metricNames, metricSpecs, operators, units, type Condition, type MetricName, type Operator, type Rule, type Unit } from './rule.ts';
import { closest, quoteList } from './suggest.ts';
import { describe, Stop, TokenCursor, type RuleSyntaxError } from './token-cursor.ts';
import { tokenize } from './tokenize.ts';

export type { RuleSyntaxError };

export type ParseRuleResult = { ok: true; rule: Rule } | { ok: false; error: RuleSyntaxError };

const identPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const valuePattern = /^(-?\d+(?:\.\d+)?)(\/s|[KMG]B)?$/i;
/** Past 2^53 numbers lose whole units and past ~1e308 they are Infinity; no metric gets near 1e15. */
export const maxThreshold = 1e15;

export function parseRule(text: string): ParseRuleResult {
  const lexed = tokenize(text);
  if (!lexed.ok) {
    return {
      ok: false,
      error: { message: lexed.message, column: lexed.column, hint: lexed.hint ?? 'a rule looks like: throughput(group=inventory) < 40/s for 5s' },
    };
  }
  try {
    return { ok: true, rule: new Parser(new TokenCursor(lexed.tokens)).rule() };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, error: e.error };
    throw e;
  }
}

class Parser {
  constructor(private readonly cursor: TokenCursor) {}

  rule(): Rule {
    if (this.cursor.peek().kind === 'end') {
      this.cursor.fail(this.cursor.peek(), 'the rule is empty', 'a rule looks like: lag(group=inventory) > 500 for 3s');
    }
    const conditions = [this.condition()];
    while (this.cursor.keyword('and')) conditions.push(this.condition());
    let forMs: number | undefined;
    if (this.cursor.keyword('for')) forMs = this.duration();
    const rest = this.cursor.peek();
    if (rest.kind !== 'end') {
      const allowed = forMs === undefined ? '"and", "for" or the end of the rule' : 'the end of the rule (the "for" window comes last)';
      this.cursor.fail(rest, `unexpected ${describe(rest)}`, `expected ${allowed}`);
    }
    return { conditions, forMs };
  }

  private condition(): Condition {
    const metricToken = this.cursor.next();
    const metric = metricToken.text as MetricName;
    if (metricToken.kind !== 'word' || !metricNames.includes(metric)) {
      const guess = closest(metricToken.text, metricNames);
      this.cursor.fail(
        metricToken,
        `unknown metric ${describe(metricToken)}`,
        `use one of ${quoteList(metricNames)}${guess ? ` (did you mean "${guess}"?)` : ''}`,
      );
    }
    const spec = metricSpecs[metric];
    const shape = metric === 'metric' ? 'metric(agent=NAME, name=METRIC_NAME)' : `${metric}(${spec.label}=NAME)`;
    this.cursor.expectPunct('(', `"(" after ${metric}, as in ${shape}`);
    const { target, series } = metric === 'metric' ? this.seriesSelector() : this.selector(metric);
    const opToken = this.cursor.next();
    if (opToken.kind !== 'op') {
      this.cursor.fail(opToken, `expected a comparison after ${metric}(...), got ${describe(opToken)}`, `use one of ${quoteList(operators)}`);
    }
    const { value, unit } = this.value(metric);
    const condition: Condition = { metric, label: spec.label, target, op: opToken.text as Operator, value, unit };
    return series ? { ...condition, series } : condition;
  }

  /** `group=NAME)` or `agent=NAME)`: the one label the built-in metrics take. */
  private selector(metric: Exclude<MetricName, 'metric'>): { target: string; series?: undefined } {
    const spec = metricSpecs[metric];
    const labelToken = this.cursor.next();
    if (labelToken.text !== spec.label) {
      this.cursor.fail(labelToken, `${metric} is selected by "${spec.label}", not ${describe(labelToken)}`, `write ${metric}(${spec.label}=NAME)`);
    }
    this.cursor.expectPunct('=', `"=" after ${spec.label}, as in ${metric}(${spec.label}=NAME)`);
    const targetToken = this.cursor.next();
    if (targetToken.kind !== 'word' || !identPattern.test(targetToken.text)) {
      this.cursor.fail(targetToken, `expected a ${spec.label} name, got ${describe(targetToken)}`, 'names use letters, digits, "_", "-" and "."');
    }
    this.cursor.expectPunct(')', `")" to close ${metric}(${spec.label}=${targetToken.text}`);
    return { target: targetToken.text };
  }

  private seriesSelector(): { target: string; series: SeriesSelector } {
    const { agent, series } = parseSeriesArguments(this.cursor);
    return { target: agent, series };
  }

  private value(metric: MetricName): { value: number; unit: Unit | undefined } {
    const token = this.cursor.next();
    const m = token.kind === 'word' ? valuePattern.exec(token.text) : null;
    if (!m) {
      this.cursor.fail(token, `expected a number, got ${describe(token)}`, 'write a number with an optional unit: 40/s, 200MB, 500');
    }
    let unitText = m[2];
    let unitToken = token;
    const following = this.cursor.peek();
    if (!unitText && following.kind === 'word' && units.some((u) => u.toLowerCase() === following.text.toLowerCase())) {
      unitText = following.text;
      unitToken = this.cursor.next();
    }
    const unit = unitText ? (units.find((u) => u.toLowerCase() === unitText.toLowerCase()) as Unit) : undefined;
    const allowed = metricSpecs[metric].units;
    if (unit && !allowed.includes(unit)) {
      const fix = allowed.length ? `${metric} takes ${quoteList(allowed)}` : `${metric} is a plain number; drop the unit`;
      this.cursor.fail(unitToken, `unit "${unitText}" does not apply to ${metric}`, fix);
    }
    const value = Number(m[1]);
    if (!(Math.abs(value) <= maxThreshold)) {
      this.cursor.fail(token, `threshold ${describe(token)} is out of range (allowed: -1e15 to 1e15)`, 'write a threshold of at most 15 digits');
    }
    return { value, unit };
  }

  private duration(): number {
    const token = this.cursor.next();
    if (token.kind !== 'word') {
      this.cursor.fail(token, `expected a duration after "for", got ${describe(token)}`, 'write a duration such as 500ms, 5s, 2m or 1m30s');
    }
    // A window longer than a drill can run could never be met.
    const checked = checkDuration(token.text, { max: durationCeilings.drill });
    if (!checked.ok) this.cursor.fail(token, `"for" window ${checked.message}`, checked.hint);
    return checked.ms;
  }
}
