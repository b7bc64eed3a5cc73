import { statSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { AgentdrillError, formatProblem, type Problem } from '../core/errors.ts';
import { closest } from '../detect/suggest.ts';
import { parseRunbook } from '../runbook/parse.ts';
import { problemsFromIssue } from './issues.ts';
import { scenarioSchema, type Scenario } from './schema.ts';
import { locate } from './yaml-positions.ts';

/**
 * Validates a scenario's text and normalizes it. Every problem is collected before throwing, so
 * one run of `agentdrill validate` shows all of them. Reads the referenced runbook (relative to
 * `file`) to check that it and its failure mode exist.
 */
export function validateScenarioText(text: string, file: string): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    throw invalid(
      file,
      doc.errors.map((e) => ({
        file,
        line: lineCounter.linePos(e.pos[0]).line,
        column: lineCounter.linePos(e.pos[0]).col,
        message: `YAML syntax: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        hint: 'fix the YAML syntax here (indentation, quotes, brackets); values with ": " or "#" need quotes',
      })),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw invalid(file, [{ file, line: 1, column: 1, message: `YAML could not be read: ${(e as Error).message}`, hint: 'avoid aliases (*name) and custom tags' }]);
  }
  if (data === null || data === undefined) {
    throw invalid(file, [{ file, line: 1, column: 1, message: 'the scenario is empty', hint: 'start from scenarios/downstream-backlog.yaml' }]);
  }
  const result = scenarioSchema.safeParse(data);
  const problems = result.success ? [] : result.error.issues.flatMap((i) => problemsFromIssue(i, doc, lineCounter, file));
  const runbookProblem = checkRunbook(data, file, doc, lineCounter);
  if (runbookProblem) problems.push(runbookProblem);
  if (problems.length > 0 || !result.success) throw invalid(file, problems);
  const scenario = result.data;
  return { ...scenario, file, runbook: { ...scenario.runbook, file: resolveRunbook(file, scenario.runbook.file) } };
}

function resolveRunbook(scenarioFile: string, runbookFile: string): string {
  return path.resolve(path.dirname(path.resolve(scenarioFile)), runbookFile);
}

/** Checks the raw `runbook:` value, so a missing runbook is reported alongside schema problems. */
function checkRunbook(data: unknown, file: string, doc: Document, lineCounter: LineCounter): Problem | undefined {
  const ref = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).runbook : undefined;
  if (typeof ref !== 'string') return undefined;
  const hash = ref.lastIndexOf('#');
  const relative = (hash < 0 ? ref : ref.slice(0, hash)).trim();
  const anchor = hash < 0 ? '' : ref.slice(hash + 1).trim();
  if (!relative) return undefined;
  const absolute = resolveRunbook(file, relative);
  const loc = locate(doc, lineCounter, ['runbook']);
  const at = { file, line: loc.line, column: loc.column };
  if (!isFile(absolute)) {
    return { ...at, message: `runbook file "${relative}" not found (looked for ${absolute})`, hint: 'the path is relative to this scenario file' };
  }
  if (!anchor) return undefined;
  const { runbook } = parseRunbook(readFileSync(absolute, 'utf8'), absolute);
  const ids = runbook.failureModes.map((m) => m.id);
  if (ids.includes(anchor.toLowerCase())) return undefined;
  const guess = closest(anchor, ids);
  return {
    ...at,
    message: `runbook "${relative}" has no failure mode "#${anchor}"`,
    hint: ids.length
      ? `failure modes in that runbook: ${ids.map((id) => `#${id}`).join(', ')}${guess ? ` (did you mean "#${guess}"?)` : ''}`
      : 'that runbook has no "### ..." headings under "## Failure modes"',
  };
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function invalid(file: string, problems: Problem[]): AgentdrillError {
  const sorted = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
  return new AgentdrillError('SCENARIO_INVALID', `scenario ${file} has ${count}:\n${sorted.map(formatProblem).join('\n')}`, {
    hint: sorted[0]?.hint,
    context: { file },
    problems: sorted,
  });
}
