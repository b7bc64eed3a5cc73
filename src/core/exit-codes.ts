import type { ErrorCode } from './errors.ts';

/** The one table of exit codes; README "Exit codes" mirrors it. */
export const ExitCode = {
  passed: 0,
  failed: 1,
  invalidInput: 2,
  inconclusive: 3,
  harnessError: 4,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const invalidInputCodes: ReadonlySet<ErrorCode> = new Set([
  'SCENARIO_INVALID',
  'SCENARIO_NOT_FOUND',
  'RUNBOOK_INVALID',
  'RUNBOOK_NOT_FOUND',
  'FAILURE_MODE_NOT_FOUND',
  'RULE_INVALID',
  'USAGE',
  'INPUT_UNREADABLE',
  'JOURNAL_INVALID',
  'OUTPUT_INVALID',
  'FLEET_INVALID',
  // `--responder human` with stdin that is no terminal: a wrong way to run it, found before anything starts.
  'NOT_A_TERMINAL',
  // A Kubernetes namespace without the opt-in label: refused before anything is created in it.
  'NAMESPACE_REFUSED',
]);

export function exitCodeForError(code: ErrorCode): ExitCode {
  if (invalidInputCodes.has(code)) return ExitCode.invalidInput;
  if (code === 'INTERRUPTED') return ExitCode.interrupted;
  return ExitCode.harnessError;
}

export type Verdict = 'passed' | 'failed' | 'inconclusive' | 'error';

export function exitCodeForVerdict(v: Verdict): ExitCode {
  switch (v) {
    case 'passed':
      return ExitCode.passed;
    case 'failed':
      return ExitCode.failed;
    case 'inconclusive':
      return ExitCode.inconclusive;
    case 'error':
      return ExitCode.harnessError;
  }
}
