import path from 'node:path';
import { closest } from '../../../detect/suggest.ts';
import { metricTargetProblem } from '../../../scenario/metric-targets.ts';
import { allBlocks, shellSources } from '../blocks.ts';
import { effectiveWords } from '../shell.ts';
import type { FleetNames, LintRule, RuleFinding } from '../types.ts';

const selector = /\b([a-z_]+)\((group|agent)=([\w.-]+)\)/g;
export const fleetNamesRule: LintRule = {
  id: 'fleet-names',
  severity: 'error',
  description: 'with --scenario: an agent, group, topic or metric name the scenario\'s fleet does not have',
  check(runbook, context) {
    const fleet = context.fleet;
    if (!fleet) return [];
    const findings: RuleFinding[] = [];
    const texts: { text: string; line: number; column: number }[] = [];
    for (const mode of runbook.failureModes) if (mode.alert) texts.push({ text: mode.alert.text, line: mode.alert.line, column: 1 });
    for (const row of runbook.health) texts.push(row.metric);
    for (const { block } of allBlocks(runbook)) if (block.command !== undefined) texts.push({ text: block.command, line: block.line, column: 1 });
    for (const t of texts) {
      for (const m of t.text.matchAll(selector)) {
        const [, metric = '', label, name = ''] = m;
        const where = { line: t.line, column: t.column };
        if (!fleet.metrics.includes(metric)) findings.push(unknown(where, 'metric', metric, fleet.metrics));
        const names = label === 'group' ? fleet.groups : fleet.agents;
        if (!names.includes(name)) findings.push(unknown(where, label!, name, names));
      }
      for (const agent of metricAgents(t.text)) {
        const problem = metricTargetProblem(agent, { agents: fleet.agents, withEndpoint: fleet.withMetrics ?? [], withInvalid: [] });
        if (problem) findings.push({ line: t.line, column: t.column, ...problem });
      }
    }
    for (const source of shellSources(runbook)) {
      for (const command of source.scan.commands) {
        const words = effectiveWords(command.words);
        const texts = words.map((w) => w.text);
        if (texts[0] === 'agentdrill' && texts[1] === 'ctl' && words[3]) {
          const verb = texts[2];
          const target = words[3];
          const names = verb === 'scale' ? fleet.scalable : fleet.agents;
          const instance = /^(.*)-\d+$/.exec(target.text)?.[1];
          if (['scale', 'kill', 'stop', 'restart'].includes(verb ?? '') && !target.text.includes('$') && !names.includes(target.text) && !(instance && names.includes(instance))) {
            findings.push(unknown(source.position(target), verb === 'scale' ? 'scalable agent' : 'agent', target.text, names));
          }
        }
        if (!/^kafka-/.test(texts[0] ?? '')) continue;
        words.forEach((w, i) => {
          const flag = /^--(topic|group)(=(.*))?$/.exec(w.text);
          const value = flag?.[3] ?? (flag ? words[i + 1]?.text : undefined);
          if (!flag || !value || value.includes('$')) return;
          const kind = flag[1] as 'topic' | 'group';
          const names = kind === 'topic' ? fleet.topics : fleet.groups;
          const at = source.position(flag[3] !== undefined ? w : words[i + 1]!);
          if (!names.includes(value)) findings.push(unknown(at, kind, value, names));
          else findings.push({ ...at, severity: 'warning', message: `${kind} "${value}" is written literally; a drill's ${kind}s are prefixed per drill`, hint: `use $${fleet.variables?.[`${kind}:${value}`] ?? envNameFor(kind, value)}` });
        });
      }
    }
    const drilled = fleet.drilled;
    if (drilled && path.resolve(drilled.file) === path.resolve(runbook.file) && !runbook.failureModes.some((m) => m.id === drilled.failureMode.toLowerCase())) {
      const ids = runbook.failureModes.map((m) => `#${m.id}`);
      findings.push({ line: 1, column: 1, message: `the scenario drills #${drilled.failureMode}, which this runbook does not have`, hint: ids.length ? `use one of ${ids.join(', ')} in the scenario, or add "### ${drilled.failureMode}"` : 'add the failure mode under "## Failure modes"' });
    }
    return findings;
  },
};

function unknown(at: { line: number; column: number }, kind: string, name: string, known: FleetNames['agents']): RuleFinding {
  const guess = closest(name, [...known]);
  return { ...at, message: `the fleet has no ${kind} "${name}"`, hint: `use one of ${known.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}` };
}

/**
 * The agent of each `metric(agent=X, ...)` in a text (a rule, a Health cell, a check's command).
 * A bounded scan rather than one regex: a text of many unclosed `metric(` must stay linear.
 */
function metricAgents(text: string): string[] {
  const agents: string[] = [];
  for (const open of text.matchAll(/\bmetric\s*\(/g)) {
    let args = '';
    let quoted = false;
    for (let i = open.index + open[0].length; i < Math.min(text.length, open.index + 1000); i++) {
      const ch = text[i]!;
      if (quoted && ch === '\\') i++;
      else if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === ')') break;
      else if (!quoted) args += ch;
    }
    const agent = /(?:^|,)\s*agent\s*=\s*([\w.-]+)/.exec(args)?.[1];
    if (agent) agents.push(agent);
  }
  return agents;
}

function envNameFor(kind: 'topic' | 'group', value: string): string {
  return `${value.toUpperCase().replace(/-/g, '_')}_${kind.toUpperCase()}`;
}
