import { z } from 'zod';
import { checkDuration, type DurationRange } from '../core/duration.ts';
import { parseRule } from '../detect/parse-rule.ts';
import type { Rule } from '../detect/rule.ts';

/**
 * Field schemas shared by the scenario and the fault registry. Custom issues carry
 * `params.hint` (how to fix it) and, for rules, `params.column` (where in the string).
 */
export interface IssueParams {
  hint?: string;
  /** 1-based column inside the string value, for errors within a rule. */
  column?: number;
}

/**
 * Objects reject unknown keys. The allowed keys ride in the message (as JSON) because the
 * finished zod issue no longer knows its schema; `issues.ts` turns them into the hint.
 */
export function strictObject<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? JSON.stringify({ allowed: Object.keys(shape) }) : undefined),
  });
}

/** Without a `max`, the longest a timer can wait (src/core/duration.ts). */
export function duration(range: DurationRange = {}) {
  return z.string({ error: 'expected a duration such as 250ms, 20s, 4m or 1m30s' }).transform((text, ctx) => {
    const checked = checkDuration(text, range);
    if (!checked.ok) {
      ctx.addIssue({ code: 'custom', message: checked.message, params: { hint: checked.hint } });
      return z.NEVER;
    }
    return checked.ms;
  });
}

/** The load generator is one process on the drill's machine; far beyond this it only falls behind. */
export const maxRatePerSec = 100_000;

/** Events per second, written `60/s` or as a bare number. */
export const rate = z.union([z.string(), z.number()], { error: 'expected a rate such as 60/s' }).transform((value, ctx) => {
  const text = String(value).trim();
  const m = /^(\d+(?:\.\d+)?)\s*(?:\/s)?$/.exec(text);
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0) || !(n <= maxRatePerSec)) {
    const message = m ? `${JSON.stringify(text)} is out of range (allowed: above 0 to ${maxRatePerSec}/s)` : `${JSON.stringify(text)} is not a positive rate`;
    ctx.addIssue({ code: 'custom', message, params: { hint: `write events per second up to ${maxRatePerSec}, e.g. 60/s` } });
    return z.NEVER;
  }
  return n;
});

/** A rule in the shared grammar; `allowFor: false` where a window is configured elsewhere. */
export function ruleText(options: { allowFor: boolean }) {
  return z.string({ error: 'expected a rule such as lag(group=inventory) < 150' }).transform((text, ctx): { text: string; rule: Rule } => {
    const parsed = parseRule(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.error.message, params: { hint: parsed.error.hint, column: parsed.error.column } });
      return z.NEVER;
    }
    if (!options.allowFor && parsed.rule.forMs !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"for" is not allowed in a steady-state condition ("${text.trim()}")`,
        params: { hint: 'the steady state has its own window (steadyState.window); drop the "for ..." part' },
      });
      return z.NEVER;
    }
    return { text: text.trim(), rule: parsed.rule };
  });
}

/**
 * A field written in one of several shapes (a path, or an object of one kind or another), where a
 * zod union would only say "Invalid input": `pick` chooses the one schema the value is meant for,
 * and its own issues, at their own paths, are the ones reported.
 */
export function shapeOf<T>(pick: (value: unknown) => z.ZodType<T>, shapes: readonly z.ZodType[]) {
  // Editors see every shape (JSON Schema `anyOf`); the loader reports only the chosen one's issues.
  // Built only when a JSON Schema is generated: every CLI start (each `ctl` a step runs) loads this.
  let anyOf: object[] | undefined;
  const meta = {
    get anyOf() {
      return (anyOf ??= shapes.map((s) => {
        const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
        return rest;
      }));
    },
  };
  return z
    .unknown()
    .transform((value, ctx): T => {
      const result = pick(value).safeParse(value);
      if (result.success) return result.data;
      for (const issue of result.error.issues) ctx.addIssue({ ...(issue as Parameters<typeof ctx.addIssue>[0] & object), path: issue.path });
      return z.NEVER;
    })
    .meta(meta);
}
