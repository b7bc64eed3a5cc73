import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import type { Problem } from '../../core/errors.ts';

/**
 * A team's Prometheus rule file, read for what the drill needs to know before Prometheus loads it:
 * which alerts it defines, each one's expression, `for:` and labels, and the group's own
 * evaluation interval. Prometheus (and `promtool check rules`) remain the judges of validity; this
 * reader only refuses what it cannot find its way through, at the line.
 */
export interface AlertRule {
  name: string;
  expr: string;
  forMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The rule group's `interval:`, when it overrides the global evaluation interval. */
  groupIntervalMs: number | undefined;
  file: string;
  line: number;
}

/** Rule files are pages of YAML; one far bigger is not a rule file. */
export const maxRuleFileBytes = 1024 * 1024;

const promUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Prometheus' duration syntax (`5m`, `1h30m`, `500ms`, `1d`); undefined when it is not one. */
export function parsePromDuration(text: string): number | undefined {
  const t = text.trim();
  if (!/^(?:\d+(?:ms|s|m|h|d|w|y))+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * promUnits[m[2]!]!;
  return total;
}

export type RuleFileRead = { alerts: AlertRule[]; problems: Problem[] };

export function readRuleFileText(text: string, file: string): RuleFileRead {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  if (doc.errors.length > 0) {
    return { alerts: [], problems: doc.errors.map((e) => ({ file, line: lineCounter.linePos(e.pos[0]).line, message: `YAML syntax: ${e.message.split('\n')[0]}`, hint: 'fix the YAML here; promtool check rules says the same' })) };
  }
  const problems: Problem[] = [];
  const alerts: AlertRule[] = [];
  const groups = isMap(doc.contents) ? doc.contents.get('groups', true) : undefined;
  if (!isSeq(groups)) {
    return { alerts, problems: [{ file, line: lineOf(doc.contents), message: 'not a Prometheus rule file: no `groups:` list', hint: 'a rule file is `groups: [{ name, rules: [{ alert, expr, for }] }]`' }] };
  }
  for (const group of groups.items) {
    if (!isMap(group)) continue;
    const interval = group.get('interval');
    const groupIntervalMs = typeof interval === 'string' ? parsePromDuration(interval) : undefined;
    const rules = group.get('rules', true);
    if (!isSeq(rules)) continue;
    for (const rule of rules.items) {
      if (!isMap(rule)) continue;
      const name = rule.get('alert');
      if (typeof name !== 'string') continue;
      const expr = rule.get('expr');
      const forText = rule.get('for');
      const forMs = forText === undefined ? 0 : typeof forText === 'string' ? parsePromDuration(forText) : undefined;
      const line = lineOf(rule);
      if (typeof expr !== 'string' && typeof expr !== 'number') {
        problems.push({ file, line, message: `alert ${name} has no expr`, hint: 'write the PromQL the alert fires on: expr: sum(kafka_consumergroup_lag) > 500' });
        continue;
      }
      if (forMs === undefined) {
        problems.push({ file, line, message: `alert ${name}: for: ${JSON.stringify(forText)} is not a duration`, hint: 'write a Prometheus duration: 30s, 5m, 1h' });
        continue;
      }
      alerts.push({ name, expr: String(expr), forMs, labels: stringMap(rule.get('labels')), annotations: stringMap(rule.get('annotations')), groupIntervalMs, file, line });
    }
  }
  return { alerts, problems };
}

function stringMap(value: unknown): Record<string, string> {
  if (!isMap(value)) return {};
  const out: Record<string, string> = {};
  for (const pair of value.items) {
    const key = (pair.key as { value?: unknown } | null)?.value;
    const v = (pair.value as { value?: unknown } | null)?.value;
    if (typeof key === 'string' && v !== undefined && v !== null) out[key] = String(v);
  }
  return out;
}
