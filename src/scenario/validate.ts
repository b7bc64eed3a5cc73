import path from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { isAgentdrillError, type AgentdrillError, type Problem } from '../core/errors.ts';
import { fileLimits, readUserFileSync } from '../core/user-file.ts';
import { closest } from '../detect/suggest.ts';
import type { SetOverride } from '../fleet/release/set-flag.ts';
import { parseRunbook } from '../runbook/parse.ts';
import { invalidFile } from '../input/invalid.ts';
import { problemsFromIssue } from '../input/issues.ts';
import { parseYaml } from '../input/yaml-document.ts';
import { fleetFileTargets, resolveFaultTargets } from './fault-targets.ts';
import { fleetFileProblems } from './fleet-checks.ts';
import { resolveScenarioFleet } from './fleet-ref.ts';
import { scenarioMetricProblems } from './metric-targets.ts';
import { resolvePrometheusDetection } from './detection-rules.ts';
import { scenarioSchema, type Scenario } from './schema.ts';
import { locate } from '../input/yaml-positions.ts';

/**
 * Validates a scenario's text and normalizes it. Every problem is collected before throwing, so
 * one run of `agentdrill validate` shows all of them. Reads the referenced runbook (relative to
 * `file`) to check that it and its failure mode exist. `overrides` (`run --set`) change the
 * scenario's fleet file before it is checked.
 */
export function validateScenarioText(text: string, file: string, env: NodeJS.ProcessEnv = process.env, overrides: readonly SetOverride[] = []): Scenario {
  const parsed = parseYaml(text, file, { kind: 'scenario', maxChars: fileLimits.scenario, example: 'scenarios/downstream-backlog.yaml' });
  if (!parsed.ok) throw invalid(file, parsed.problems);
  const { doc, lineCounter, data } = parsed;
  const result = scenarioSchema.safeParse(data);
  const problems = result.success ? [] : result.error.issues.flatMap((i) => problemsFromIssue(i, doc, lineCounter, file));
  problems.push(...checkRunbook(data, file, doc, lineCounter));
  if (!result.success) throw invalid(file, problems);
  const scenario = result.data;
  // The fleet file, then what the fault hits in it: every problem of both files at once.
  const resolved = resolveScenarioFleet(scenario.fleet, file, doc, lineCounter, env, overrides);
  problems.push(...resolved.problems);
  const position = (at: (string | number)[]) => {
    const loc = locate(doc, lineCounter, at);
    return { line: loc.line, column: loc.column };
  };
  const fault = resolved.fleet ? resolveFaultTargets(scenario.fault, fleetFileTargets(resolved.fleet.definition, resolved.fleet.ref, resolved.fleet.replicas)) : { problems: [] };
  for (const p of fault.problems) problems.push({ file, ...position(p.path), message: p.message, hint: p.hint });
  const spec = fault.fault;
  if (resolved.fleet) problems.push(...fleetFileProblems(scenario).map(({ path: at, ...p }) => ({ file, ...position(at), ...p })));
  if (resolved.fleet) problems.push(...scenarioMetricProblems(scenario, resolved.fleet).map(({ path: at, ...p }) => ({ file, ...position(at), ...p })));
  const { detection: detectionConfig, ...rest } = scenario;
  const fleetFile = resolved.fleet?.definition;
  const prometheus = detectionConfig
    ? resolvePrometheusDetection(detectionConfig.prometheus, file, fleetFile && { file: fleetFile.file, dir: fleetFile.dir, monitoring: fleetFile.monitoring?.prometheus })
    : undefined;
  if (prometheus) {
    problems.push(...prometheus.problems.map(({ path: at, ...p }) => ({ file, ...position(at), ...p })), ...prometheus.fileProblems);
  }
  if (problems.length > 0 || !resolved.fleet || !spec) throw invalid(file, problems);
  return {
    ...rest,
    file,
    fleet: resolved.fleet,
    fault: spec,
    runbook: { ...scenario.runbook, file: resolveRunbook(file, scenario.runbook.file) },
    ...(prometheus?.detection ? { detection: { prometheus: prometheus.detection } } : {}),
  };
}

function resolveRunbook(scenarioFile: string, runbookFile: string): string {
  return path.resolve(path.dirname(path.resolve(scenarioFile)), runbookFile);
}

/** Checks the raw `runbook:` value, so a missing runbook is reported alongside schema problems. */
function checkRunbook(data: unknown, file: string, doc: Document, lineCounter: LineCounter): Problem[] {
  const ref = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).runbook : undefined;
  if (typeof ref !== 'string') return [];
  const hash = ref.lastIndexOf('#');
  const relative = (hash < 0 ? ref : ref.slice(0, hash)).trim();
  const anchor = hash < 0 ? '' : ref.slice(hash + 1).trim();
  if (!relative) return [];
  const absolute = resolveRunbook(file, relative);
  const loc = locate(doc, lineCounter, ['runbook']);
  const at = { file, line: loc.line, column: loc.column };
  let text: string;
  try {
    text = readUserFileSync(absolute, { kind: 'runbook', maxBytes: fileLimits.runbook, code: 'RUNBOOK_NOT_FOUND' });
  } catch (e) {
    if (!isAgentdrillError(e)) throw e;
    if (e.context.reason === 'missing') {
      return [{ ...at, message: `runbook file "${relative}" not found (looked for ${absolute})`, hint: 'the path is relative to this scenario file' }];
    }
    return [{ ...at, message: `runbook file "${relative}" cannot be used: ${e.message}`, hint: e.hint ?? 'point runbook: at a Markdown file' }];
  }
  if (!anchor) return [];
  let runbook;
  try {
    runbook = parseRunbook(text, absolute).runbook;
  } catch (e) {
    // Over the Markdown limits: the runbook's own located problems say where.
    if (isAgentdrillError(e) && e.problems.length > 0) return [...e.problems];
    throw e;
  }
  const ids = runbook.failureModes.map((m) => m.id);
  if (ids.includes(anchor.toLowerCase())) return [];
  const guess = closest(anchor, ids);
  const hint = ids.length
    ? `failure modes in that runbook: ${ids.map((id) => `#${id}`).join(', ')}${guess ? ` (did you mean "#${guess}"?)` : ''}`
    : 'that runbook has no "### ..." headings under "## Failure modes"';
  return [{ ...at, message: `runbook "${relative}" has no failure mode "#${anchor}"`, hint }];
}

function invalid(file: string, problems: Problem[]): AgentdrillError {
  return invalidFile('SCENARIO_INVALID', 'scenario', file, problems);
}
