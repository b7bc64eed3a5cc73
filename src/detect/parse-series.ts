/**
 * The arguments of `metric(...)`, after its "(" up to and including its ")":
 *
 *   args    := arg ( "," arg )*          (each label once, in any order)
 *   arg     := "agent" "=" ident          (required: whose endpoint)
 *            | "name" "=" series-name     (required: [a-zA-Z_:][a-zA-Z0-9_:]*)
 *            | label "=" ( string | word )   (a matcher: [a-zA-Z_][a-zA-Z0-9_]* = "value")
 *
 * Only equality matchers: a drill watches a handful of series it names outright, so PromQL's
 * regex and negative matchers would add grammar without adding a drill.
 */
import { labelNamePattern, seriesNamePattern, type SeriesSelector } from './series.ts';
import { describe, type TokenCursor } from './token-cursor.ts';

const identPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const example = 'metric(agent=scorer, name=scorer_processed_total)';

export function parseSeriesArguments(cursor: TokenCursor): { agent: string; series: SeriesSelector } {
  let agent: string | undefined;
  let name: string | undefined;
  const matchers: [string, string][] = [];
  const seen = new Set<string>();
  do {
    const key = cursor.next();
    if (key.kind !== 'word' || !labelNamePattern.test(key.text)) {
      cursor.fail(key, `expected agent=, name= or a label matcher in metric(...), got ${describe(key)}`, `write ${example}`);
    }
    if (seen.has(key.text)) cursor.fail(key, `"${key.text}" is given twice in metric(...)`, 'give each label once');
    seen.add(key.text);
    cursor.expectPunct('=', `"=" after ${key.text}, as in ${key.text === 'agent' || key.text === 'name' ? example : `${key.text}="value"`}`);
    const value = cursor.next();
    if (key.text === 'agent') {
      if (value.kind !== 'word' || !identPattern.test(value.text)) {
        cursor.fail(value, `expected an agent name, got ${describe(value)}`, 'the agent is named as in the fleet file: letters, digits, "_", "-" and "."');
      }
      agent = value.text;
    } else if (key.text === 'name') {
      if (value.kind !== 'word' || !seriesNamePattern.test(value.text)) {
        cursor.fail(value, `expected a Prometheus metric name, got ${describe(value)}`, 'a metric name matches [a-zA-Z_:][a-zA-Z0-9_:]*, e.g. scorer_processed_total');
      }
      name = value.text;
    } else {
      if (value.kind !== 'string' && value.kind !== 'word') {
        cursor.fail(value, `expected a value for label ${key.text}, got ${describe(value)}`, `quote it: ${key.text}="500"`);
      }
      matchers.push([key.text, value.text]);
    }
  } while (cursor.punct(','));
  const close = cursor.peek();
  cursor.expectPunct(')', '"," or ")" in metric(...)');
  if (agent === undefined) cursor.fail(close, 'metric(...) needs agent=, the agent whose endpoint is read', `write ${example}`);
  if (name === undefined) cursor.fail(close, 'metric(...) needs name=, the Prometheus metric to read', `write ${example}`);
  // fromEntries: a label named `__proto__` stays a label, not a prototype.
  return { agent, series: { name, labels: Object.fromEntries(matchers) } };
}
