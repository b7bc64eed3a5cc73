/**
 * One root error for everything the harness reports to a user. `code` is stable (tests and
 * scripts match on it); `hint` says how to fix it; `context` carries file/line and the values.
 */
export type ErrorCode =
  | 'SCENARIO_INVALID'
  | 'SCENARIO_NOT_FOUND'
  | 'RUNBOOK_INVALID'
  | 'RUNBOOK_NOT_FOUND'
  | 'FAILURE_MODE_NOT_FOUND'
  | 'RULE_INVALID'
  | 'USAGE'
  | 'TOOL_MISSING'
  | 'PROVISION_FAILED'
  | 'INFRA_START_FAILED'
  | 'FLEET_FAILED'
  | 'FAULT_FAILED'
  | 'CONTROL_UNREACHABLE'
  | 'INTERRUPTED'
  | 'INTERNAL';

export interface ErrorLocation {
  file: string;
  line?: number;
  column?: number;
}

export class AgentdrillError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly context: Record<string, unknown>;
  /** Every problem found, when a validator reports several at once. */
  readonly problems: readonly Problem[];

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; context?: Record<string, unknown>; problems?: Problem[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AgentdrillError';
    this.code = code;
    this.hint = options.hint;
    this.context = options.context ?? {};
    this.problems = options.problems ?? [];
  }
}

/** One located problem in a user's file: what is wrong, where, and the fix. */
export interface Problem extends ErrorLocation {
  message: string;
  hint?: string;
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line, p.column].filter((x) => x !== undefined).join(':');
  return `${where}: ${p.message}${p.hint ? `\n    fix: ${p.hint}` : ''}`;
}

export function isAgentdrillError(e: unknown): e is AgentdrillError {
  return e instanceof AgentdrillError;
}
