import path from 'node:path';
import { AgentdrillError } from '../core/errors.ts';
import type { Scenario } from '../scenario/index.ts';
import { lintContextFor, lintRunbook } from './lint/index.ts';
import { loadRunbook } from './load.ts';
import type { Finding, LintProfile, ParsedRunbook } from './model.ts';

/** Parses and lints one runbook file (on-call profile unless told); RUNBOOK_NOT_FOUND when it cannot be read. */
export async function validateRunbookFile(file: string, options: { scenario?: Scenario; profile?: LintProfile } = {}): Promise<{ parsed: ParsedRunbook; findings: Finding[] }> {
  const parsed = await loadRunbook(file);
  return { parsed, findings: lintRunbook(parsed, lintContextFor(file, { scenario: options.scenario, profile: options.profile ?? 'oncall' })) };
}

/**
 * The runbook a drill runs, linted against its scenario first: a step that cannot run should
 * fail in milliseconds, not after the broker came up. `validate: false` (`run --no-validate`)
 * skips the lint but still refuses what the parser cannot read.
 */
export async function loadDrillRunbook(file: string, scenario: Scenario, options: { validate: boolean }): Promise<ParsedRunbook> {
  if (!options.validate) return loadRunbook(file, { strict: true });
  // A drill needs what on-call needs and more: the alert rule, step names and timeouts.
  const { parsed, findings } = await validateRunbookFile(file, { scenario, profile: 'drill' });
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length === 0) return parsed;
  // The CLI prints only the first line of the message above the problems: it must say the way out.
  throw new AgentdrillError('RUNBOOK_INVALID', `runbook ${file} has ${errors.length} error finding(s); fix them, or pass --no-validate to run anyway`, {
    hint: `fix them (agentdrill validate ${path.relative(process.cwd(), file) || file} lists all), or pass --no-validate to run anyway`,
    context: { file },
    problems: errors.map((f) => ({ file: f.file, line: f.line, column: f.column, message: `${f.message} [${f.rule}]`, hint: f.hint })),
  });
}
