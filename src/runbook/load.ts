import { AgentdrillError } from '../core/errors.ts';
import { fileLimits, readUserFile } from '../core/user-file.ts';
import { closest } from '../detect/suggest.ts';
import type { FailureMode, ParsedRunbook, Runbook } from './model.ts';
import { parseRunbook } from './parse.ts';

/** Reads and parses a runbook. With `strict`, error findings throw RUNBOOK_INVALID. */
export async function loadRunbook(file: string, options: { strict?: boolean } = {}): Promise<ParsedRunbook> {
  const text = await readUserFile(file, {
    kind: 'runbook',
    maxBytes: fileLimits.runbook,
    code: 'RUNBOOK_NOT_FOUND',
    hint: 'check the runbook path; in a scenario it is relative to the scenario file',
  });
  const parsed = parseRunbook(text, file);
  const errors = parsed.findings.filter((f) => f.severity === 'error');
  if (options.strict && errors.length > 0) {
    throw new AgentdrillError('RUNBOOK_INVALID', `runbook ${file} has ${errors.length} error(s); first: line ${errors[0]!.line}: ${errors[0]!.message}`, {
      hint: errors[0]!.hint,
      context: { file },
      problems: errors.map((f) => ({ file: f.file, line: f.line, column: f.column, message: `${f.message} [${f.rule}]`, hint: f.hint })),
    });
  }
  return parsed;
}

/** The failure mode a scenario's `#anchor` names (case-insensitive). */
export function selectFailureMode(runbook: Runbook, anchor: string): FailureMode {
  const wanted = anchor.replace(/^#/, '').trim().toLowerCase();
  const found = runbook.failureModes.find((m) => m.id === wanted);
  if (found) return found;
  const ids = runbook.failureModes.map((m) => m.id);
  const guess = closest(wanted, ids);
  throw new AgentdrillError('FAILURE_MODE_NOT_FOUND', `runbook ${runbook.file} has no failure mode "#${wanted}"`, {
    hint: ids.length
      ? `available: ${ids.map((id) => `#${id}`).join(', ')}${guess ? ` (did you mean "#${guess}"?)` : ''}`
      : 'add "### <failure mode>" headings under "## Failure modes"',
    context: { file: runbook.file, anchor: wanted, available: ids },
  });
}
