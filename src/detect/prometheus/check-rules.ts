import { execFile } from 'node:child_process';
import { formatExactDuration } from '../../core/duration.ts';
import { readUserFile } from '../../core/user-file.ts';
import type { Finding, Runbook } from '../../runbook/model.ts';
import { maxRuleFileBytes, readRuleFileText, type AlertRule } from './rule-file.ts';
import { requirePromtool } from './tools.ts';

/** The scenario's side of the timing check: its detect target and its monitoring's intervals. */
export interface DetectTiming {
  scenarioFile: string;
  detectMs: number;
  scrapeIntervalMs: number;
  evaluationIntervalMs: number;
  groupWaitMs: number;
  /** Whether the intervals are the scenario's own (else Prometheus' and Alertmanager's defaults). */
  fromScenario: boolean;
  /** The alert the scenario pages with, when it names one. */
  alert: string | undefined;
}

/**
 * `agentdrill validate --rules`: promtool's own verdict on the rule files, every failure mode
 * whose ```alert names a Prometheus alert the files do not define, and (with a scenario) every
 * named alert whose `for:` plus one scrape and one evaluation already exceed the detect target:
 * such a drill could only fail on detection, whatever the runbook does.
 */
export async function checkPrometheusRules(o: { ruleFiles: readonly string[]; runbooks: readonly Runbook[]; timing?: DetectTiming }): Promise<Finding[]> {
  const findings = await promtoolCheck(o.ruleFiles);
  const alerts: AlertRule[] = [];
  for (const file of o.ruleFiles) {
    const read = readRuleFileText(await readUserFile(file, { kind: 'rule file', maxBytes: maxRuleFileBytes, code: 'INPUT_UNREADABLE' }), file);
    alerts.push(...read.alerts);
  }
  const names = [...new Set(alerts.map((a) => a.name))];
  const named = new Set<string>(o.timing?.alert ? [o.timing.alert] : []);
  for (const runbook of o.runbooks) {
    for (const mode of runbook.failureModes) {
      const alert = mode.alert?.prometheus;
      if (!alert || !mode.alert) continue;
      named.add(alert);
      if (names.includes(alert)) continue;
      findings.push({
        file: runbook.file,
        line: mode.alert.line,
        column: 1,
        rule: 'prometheus-alert-undefined',
        severity: 'error',
        message: `failure mode "#${mode.id}" is paged by alert ${alert}, which ${o.ruleFiles.join(', ')} do not define`,
        hint: names.length ? `alerts defined there: ${names.join(', ')}` : 'those files define no alerting rule',
      });
    }
  }
  if (o.timing) for (const rule of alerts.filter((a) => named.has(a.name))) findings.push(...tooSlow(rule, o.timing));
  return findings;
}

function tooSlow(rule: AlertRule, t: DetectTiming): Finding[] {
  const evaluation = rule.groupIntervalMs ?? t.evaluationIntervalMs;
  const floor = rule.forMs + t.scrapeIntervalMs + evaluation;
  if (floor <= t.detectMs) return [];
  const d = formatExactDuration;
  const source = t.fromScenario ? `the scenario's` : `Prometheus' default`;
  return [
    {
      file: rule.file,
      line: rule.line,
      column: 1,
      rule: 'prometheus-too-slow',
      severity: 'error',
      message: `alert ${rule.name}: for: ${d(rule.forMs)} + scrape ${d(t.scrapeIntervalMs)} + evaluation ${d(evaluation)} (${source} intervals) = ${d(floor)}, past the detect target ${d(t.detectMs)} of ${t.scenarioFile}, before group_wait ${d(t.groupWaitMs)} even starts`,
      hint: `shorten for: to at most ${d(Math.max(0, t.detectMs - t.scrapeIntervalMs - evaluation - t.groupWaitMs))} (or the intervals), or raise the detect target if that is what on-call really gets`,
    },
  ];
}

/** `promtool check rules`; each problem it names (file: line:col: message) as a finding. */
async function promtoolCheck(files: readonly string[]): Promise<Finding[]> {
  if (files.length === 0) return [];
  const promtool = requirePromtool();
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(promtool, ['check', 'rules', ...files], { timeout: 60_000, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}\n${stderr}` });
    });
  });
  if (code === 0) return [];
  const located = output
    .split('\n')
    .map((l) => /^\s*(.+?): (\d+):(\d+): (.+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && files.includes(m[1]!));
  const hint = 'promtool check rules names what Prometheus would refuse to load; fix it there';
  if (located.length > 0) {
    return located.map((m) => ({ file: m[1]!, line: Number(m[2]), column: Number(m[3]), rule: 'promtool-check', severity: 'error' as const, message: m[4]!, hint }));
  }
  const first = output.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('Checking') && l !== 'FAILED:');
  return [{ file: files[0]!, line: 1, column: 1, rule: 'promtool-check', severity: 'error', message: `promtool check rules failed: ${first.slice(0, 5).join(' | ') || `exit ${code}`}`, hint }];
}
