import path from 'node:path';
import { isAgentdrillError } from '../core/errors.ts';
import { readUserFileSync } from '../core/user-file.ts';
import { closest } from '../detect/suggest.ts';
import { maxRuleFileBytes, readRuleFileText, type AlertRule } from '../detect/prometheus/rule-file.ts';
import type { FleetCheckProblem } from './fleet-checks.ts';
import { monitoringDefaults, type DetectionSettings, type MonitoringSettings } from './detection-schema.ts';

/** `detection.prometheus` with the fleet file's monitoring and the defaults filled in, its rule files read, and the paging alert's rule. */
export interface PrometheusDetection {
  alert: string;
  /** Absolute paths, in the order written. */
  ruleFiles: string[];
  scrapeIntervalMs: number;
  evaluationIntervalMs: number;
  groupWaitMs: number;
  groupIntervalMs: number;
  rule: AlertRule;
}

/**
 * Reads the rule files a scenario names (relative to it), or else its fleet file's (relative to
 * that), and finds the paging alert in them; every interval from the scenario, else the fleet
 * file, else Prometheus' and Alertmanager's defaults. Problems are located at the scenario's keys;
 * a rule file's own syntax problems at its lines.
 */
export function resolvePrometheusDetection(
  written: DetectionSettings,
  scenarioFile: string,
  fleet?: { file: string; dir: string; monitoring: MonitoringSettings | undefined },
): { detection?: PrometheusDetection; problems: FleetCheckProblem[]; fileProblems: { file: string; line?: number; message: string; hint?: string }[] } {
  const problems: FleetCheckProblem[] = [];
  const fileProblems: { file: string; line?: number; message: string; hint?: string }[] = [];
  const inherited = fleet?.monitoring;
  const rules = written.rules ?? inherited?.rules;
  if (!rules) {
    return {
      problems: [{ path: ['detection', 'prometheus'], message: 'no rule files: name them here (rules: [...]) or in the fleet file\'s monitoring.prometheus.rules', hint: 'rules: [../monitoring/kafka-agents.rules.yml]' }],
      fileProblems,
    };
  }
  const base = written.rules ? path.dirname(path.resolve(scenarioFile)) : fleet!.dir;
  const config = {
    alert: written.alert,
    ruleFiles: rules,
    scrapeIntervalMs: written.scrapeInterval ?? inherited?.scrapeInterval ?? monitoringDefaults.scrapeIntervalMs,
    evaluationIntervalMs: written.evaluationInterval ?? inherited?.evaluationInterval ?? monitoringDefaults.evaluationIntervalMs,
    groupWaitMs: written.groupWait ?? inherited?.groupWait ?? monitoringDefaults.groupWaitMs,
    groupIntervalMs: written.groupInterval ?? inherited?.groupInterval ?? monitoringDefaults.groupIntervalMs,
  };
  const where = written.rules ? 'this scenario file' : `the fleet file ${fleet!.file}`;
  const files = config.ruleFiles.map((f) => path.resolve(base, f));
  const alerts: AlertRule[] = [];
  files.forEach((file, i) => {
    let text: string;
    try {
      text = readUserFileSync(file, { kind: 'rule file', maxBytes: maxRuleFileBytes });
    } catch (e) {
      if (!isAgentdrillError(e)) throw e;
      const missing = e.context.reason === 'missing';
      problems.push({
        path: written.rules ? ['detection', 'prometheus', 'rules', i] : ['detection', 'prometheus'],
        message: missing ? `rule file "${config.ruleFiles[i]}" not found (looked for ${file})` : `rule file "${config.ruleFiles[i]}" cannot be used: ${e.message}`,
        hint: `the path is relative to ${where}`,
      });
      return;
    }
    const read = readRuleFileText(text, file);
    alerts.push(...read.alerts);
    fileProblems.push(...read.problems);
  });
  if (problems.length > 0 || fileProblems.length > 0) return { problems, fileProblems };
  const rule = alerts.find((a) => a.name === config.alert);
  if (!rule) {
    const names = [...new Set(alerts.map((a) => a.name))];
    const guess = closest(config.alert, names);
    problems.push({
      path: ['detection', 'prometheus', 'alert'],
      message: `no alert "${config.alert}" in ${config.ruleFiles.join(', ')}`,
      hint: names.length ? `alerts defined there: ${names.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}` : 'those files define no alerting rule (`- alert: Name`)',
    });
    return { problems, fileProblems };
  }
  return { detection: { ...config, ruleFiles: files, rule }, problems, fileProblems };
}

/**
 * The soonest Prometheus can page for this rule, at best: its `for:` plus one scrape and one
 * evaluation (a threshold crossed just after a scrape waits for the next one, then for the next
 * evaluation). Alertmanager's group_wait comes on top before anyone is paged.
 */
export function prometheusDetectFloorMs(d: { rule: { forMs: number; groupIntervalMs: number | undefined }; scrapeIntervalMs: number; evaluationIntervalMs: number }): number {
  return d.rule.forMs + d.scrapeIntervalMs + (d.rule.groupIntervalMs ?? d.evaluationIntervalMs);
}
