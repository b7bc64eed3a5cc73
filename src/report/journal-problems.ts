import type { z } from 'zod';
import type { Problem } from '../core/errors.ts';

/** Enough to recognise a value in a message; a whole sample or a step's output is not. */
const previewChars = 200;

/**
 * One located problem for a zod issue in event `index`: where (event index, type, field path),
 * what was expected, and the value found, cut short. `base` is the issue path's prefix in the event.
 */
export function eventProblem(file: string, index: number, event: unknown, issue: z.core.$ZodIssue, base: PropertyKey[] = []): Problem {
  const path = [...base, ...issue.path];
  const type = isRecord(event) && typeof event.type === 'string' ? ` (${/^[\w.-]{1,60}$/.test(event.type) ? event.type : preview(event.type, 60)})` : '';
  const field = path.length > 0 ? ` ${path.map(String).join('.')}` : '';
  const found = valueAt(event, path);
  return {
    file,
    message: `event ${index}${type}${field}: ${expected(issue)}, found ${found === undefined ? 'nothing (the field is missing)' : preview(found)}`,
  };
}

function expected(issue: z.core.$ZodIssue): string {
  // The schema's own wording, when it has one, says more than zod's generic one.
  if (!/^(Invalid|Too (big|small))\b/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected === 'record' ? 'object' : issue.expected}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || typeof key === 'symbol' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/** JSON for a value, stopped once it passes `limit` characters (a payload can be megabytes). */
export function preview(value: unknown, limit = previewChars): string {
  let out = '';
  const write = (s: string) => {
    out += s;
    return out.length <= limit;
  };
  const walk = (v: unknown): boolean => {
    if (typeof v === 'string') return write(JSON.stringify(v.length > limit ? v.slice(0, limit) : v));
    if (typeof v !== 'object' || v === null) return write(typeof v === 'number' && !Number.isFinite(v) ? String(v) : String(JSON.stringify(v) ?? String(v)));
    const array = Array.isArray(v);
    if (!write(array ? '[' : '{')) return false;
    let first = true;
    // for-in, not Object.entries: the value may be an array of every event in the journal.
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      if (!first && !write(',')) return false;
      first = false;
      if (!array && !write(`${JSON.stringify(k)}:`)) return false;
      if (!walk((v as Record<string, unknown>)[k])) return false;
    }
    return write(array ? ']' : '}');
  };
  return walk(value) ? out : `${out.slice(0, limit)}…`;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
