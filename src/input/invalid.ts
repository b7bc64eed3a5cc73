import { AgentdrillError, formatProblem, type ErrorCode, type Problem } from '../core/errors.ts';

/** Enough to fix in one go; a generated file with thousands of problems gets the first ones. */
export const maxProblems = 50;

/** Every problem of one file in one error, sorted by position, the first `maxProblems` shown. */
export function invalidFile(code: ErrorCode, kind: string, file: string, problems: Problem[]): AgentdrillError {
  const all = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const sorted = all.slice(0, maxProblems);
  if (all.length > maxProblems) {
    const last = sorted.at(-1)!;
    sorted.push({ file: last.file, line: last.line, column: last.column, message: `… and ${all.length - maxProblems} more problem(s), not shown`, hint: 'fix the ones above and validate again' });
  }
  const count = all.length === 1 ? '1 problem' : `${all.length} problems`;
  return new AgentdrillError(code, `${kind} ${file} has ${count}:\n${sorted.map(formatProblem).join('\n')}`, {
    hint: sorted[0]?.hint,
    context: { file },
    problems: sorted,
  });
}
