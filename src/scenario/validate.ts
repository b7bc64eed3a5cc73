import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { AgentdrillError, formatProblem, isAgentdrillError, type Problem } from '../core/errors.ts';
import { fileLimits, readUserFileSync } from '../core/user-file.ts';
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
  // The file reader caps the size too; text can also come from elsewhere (tests, tools).
  if (text.length > fileLimits.scenario) {
    throw invalid(file, [{ file, line: 1, column: 1, message: `the scenario has ${text.length} characters, over the limit of ${fileLimits.scenario}`, hint: 'a scenario is a page of YAML; trim it' }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    throw invalid(
      file,
      doc.errors.map((e) => ({
        file,
        line: lineCounter.linePos(e.pos[0]).line,
        column: lineCounter.linePos(e.pos[0]).col,
        ...(tooDeep(e)
          ? { message: 'YAML nests too deeply to read', hint: 'a scenario needs three or four levels of nesting; remove the extra [ and {' }
          : {
              message: `YAML syntax: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
              hint: 'fix the YAML syntax here (indentation, quotes, brackets); values with ": " or "#" need quotes',
            }),
      })),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const message = tooDeep(e) ? 'YAML nests too deeply to read' : `YAML could not be read: ${(e as Error).message}`;
    throw invalid(file, [{ file, line: 1, column: 1, message, hint: 'avoid aliases (*name), custom tags and deep nesting' }]);
  }
  if (data === null || data === undefined) {
    throw invalid(file, [{ file, line: 1, column: 1, message: 'the scenario is empty', hint: 'start from scenarios/downstream-backlog.yaml' }]);
  }
  const result = scenarioSchema.safeParse(data);
  const problems = result.success ? [] : result.error.issues.flatMap((i) => problemsFromIssue(i, doc, lineCounter, file));
  problems.push(...checkRunbook(data, file, doc, lineCounter));
  if (problems.length > 0 || !result.success) throw invalid(file, problems);
  const scenario = result.data;
  return { ...scenario, file, runbook: { ...scenario.runbook, file: resolveRunbook(file, scenario.runbook.file) } };
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

/** yaml reports its own stack overflow on deep nesting as an error; say what it means. */
function tooDeep(e: unknown): boolean {
  return e instanceof RangeError || (e instanceof Error && e.message.includes('Maximum call stack size exceeded'));
}

/** Enough to fix in one go; a generated file with thousands of problems gets the first ones. */
export const maxProblems = 50;

function invalid(file: string, problems: Problem[]): AgentdrillError {
  const all = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const sorted = all.slice(0, maxProblems);
  if (all.length > maxProblems) {
    const last = sorted.at(-1)!;
    sorted.push({ file: last.file, line: last.line, column: last.column, message: `… and ${all.length - maxProblems} more problem(s), not shown`, hint: 'fix the ones above and validate again' });
  }
  const count = all.length === 1 ? '1 problem' : `${all.length} problems`;
  return new AgentdrillError('SCENARIO_INVALID', `scenario ${file} has ${count}:\n${sorted.map(formatProblem).join('\n')}`, {
    hint: sorted[0]?.hint,
    context: { file },
    problems: sorted,
  });
}
