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
  | 'INPUT_UNREADABLE'
  | 'JOURNAL_INVALID'
  | 'OUTPUT_INVALID'
  | 'FLEET_INVALID'
  | 'TOOL_MISSING'
  | 'ENGINE_UNREACHABLE'
  | 'PROVISION_FAILED'
  | 'INFRA_START_FAILED'
  | 'FLEET_FAILED'
  | 'FAULT_FAILED'
  | 'CONTROL_UNREACHABLE'
  | 'NOT_A_TERMINAL'
  | 'NAMESPACE_REFUSED'
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
  return displayText(`${where}: ${p.message}`) + (p.hint ? `\n    fix: ${displayText(p.hint)}` : '');
}

/** How much of one quoted value, and of one line, a message echoes: a 400 KB value buries it. */
export const displayLimits = { quoted: 200, line: 1000 } as const;

/**
 * Text that may carry a user's bytes, made safe for a terminal: control characters (ESC starts
 * escape sequences that recolour, retitle or rewrite the screen; C1, bidi and line separators
 * reorder or hide text) become visible escapes, and long quoted values and lines are cut.
 * Newlines stay: they are the message's own structure.
 */
export function displayText(text: string): string {
  const cutQuoted = (quoted: string, inner: string) => (inner.length > displayLimits.quoted ? `"${cut(inner, displayLimits.quoted)}"` : quoted);
  return text
    .split('\n')
    .map((line) => escapeControls(cut(line.replace(/"([^"]*)"/g, cutQuoted), displayLimits.line)))
    .join('\n');
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max).join('')}…(${chars.length - max} more characters)`;
}

function escapeControls(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x61c || c === 0x200e || c === 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    out += !control ? ch : c < 0x100 ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u{${c.toString(16)}}`;
  }
  return out;
}

export function isAgentdrillError(e: unknown): e is AgentdrillError {
  return e instanceof AgentdrillError;
}
