import type { Located } from '../../model.ts';
import type { LintRule, RuleFinding } from '../types.ts';

const number = /\d/;
/** "for 3s", "over 5m", "within 2 min", "[5m]" (PromQL range): any way people write a window. */
const window = /\b(for|over|within|during)\s+(\d+(\.\d+)?\s*(ms|s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?)\b|\d+m\d+s)|\[\d+[smhd]\]/i;
const empty = /^(|-|—|–|n\/a|tbd|\?)$/i;

export const thresholdIncomplete: LintRule = {
  id: 'threshold-incomplete',
  severity: 'error',
  description: 'an alert rule or a health threshold lacks a number or a window',
  check(runbook, context) {
    const findings: RuleFinding[] = [];
    // The alert rule's window is what a drill's time-to-detect hangs on; a person reads Health.
    for (const mode of context.profile === 'drill' ? runbook.failureModes : []) {
      const alert = mode.alert;
      if (alert?.rule && alert.rule.forMs === undefined) {
        findings.push({ line: alert.line, column: 1, message: `the alert of "${mode.title}" fires on a single sample`, hint: `add a window: ${alert.text} for 30s` });
      }
    }
    for (const row of runbook.health) {
      const metric = row.metric.text;
      const red = row.red;
      if (!red || empty.test(red.text)) {
        findings.push({ line: row.line, column: row.metric.column, message: `health metric ${metric} has no red threshold`, hint: 'write the alerting threshold with a number and a window, e.g. > 500 for 3s' });
      } else {
        if (!number.test(red.text)) findings.push(at(red, `red threshold of ${metric} ("${red.text}") has no number`, 'write a number, e.g. > 500 for 3s'));
        else if (!window.test(red.text)) findings.push(at(red, `red threshold of ${metric} ("${red.text}") has no window`, `add how long it must hold: ${red.text} for 30s`));
      }
      const green = row.green;
      if (!green || empty.test(green.text) || !number.test(green.text)) {
        const where = green ?? row.metric;
        findings.push({ ...at(where, `green threshold of ${metric} ${green?.text ? `("${green.text}") ` : ''}has no number`, 'write what healthy is as a number, e.g. < 150 or ≥ 50/s'), severity: 'warning' });
      }
    }
    return findings;
  },
};

function at(cell: Located, message: string, hint: string): RuleFinding {
  return { line: cell.line, column: cell.column, message, hint };
}
