import type { z } from 'zod';
import { isScalar, type Document, type LineCounter } from 'yaml';
import type { Problem } from '../core/errors.ts';
import { closest, quoteList } from '../detect/suggest.ts';
import type { IssueParams } from './fields.ts';
import { describeNode, locate, positionOf } from './yaml-positions.ts';

/** Human wording for zod's `expected` names. */
const kinds: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping of keys (key: value lines)',
  array: 'a list ("- item" lines)',
};

/** A file with thousands of stray keys is not hand-written; the first ones say enough. */
const maxUnknownKeys = 20;

/** One zod issue → one or more located problems (one per unknown key). */
export function problemsFromIssue(issue: z.core.$ZodIssue, doc: Document, lineCounter: LineCounter, file: string, root = 'the scenario'): Problem[] {
  const path = issue.path;
  const where = path.length ? path.map(String).join('.') : root;
  const loc = locate(doc, lineCounter, path);
  const problem = (message: string, hint?: string, line = loc.line, column = loc.column): Problem => ({ file, line, column, message, hint });
  const got = describeNode(loc.node);

  // A missing key is reported where its parent's key is written (`targets:`), not at the
  // parent's first child, which is the line after and names another key.
  const missing = () => {
    const parentKey = path.length > 1 ? locate(doc, lineCounter, path.slice(0, -1)).keyNode : undefined;
    return parentKey ? positionOf(lineCounter, parentKey) : loc;
  };

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(issue.message);
      const shown = issue.keys.slice(0, maxUnknownKeys).map((key) => {
        const keyLoc = locate(doc, lineCounter, [...path, key]);
        const guess = closest(key, allowed);
        const hint = `allowed keys ${path.length ? `in ${where}` : 'at the top level'}: ${allowed.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`;
        const pos = keyLoc.keyNode ? positionOf(lineCounter, keyLoc.keyNode) : keyLoc;
        return problem(`unknown key ${JSON.stringify(key)} in ${where}`, hint, pos.line, pos.column);
      });
      const more = issue.keys.length - shown.length;
      return more > 0 ? [...shown, problem(`… and ${more} more unknown key(s) in ${where}`, `allowed keys: ${allowed.join(', ')}`)] : shown;
    }
    case 'invalid_type': {
      if (loc.node === undefined && loc.keyNode === undefined) {
        const key = String(path.at(-1) ?? '');
        const parent = path.length > 1 ? path.slice(0, -1).join('.') : 'the top level';
        const at = missing();
        return [problem(`missing required key "${key}" in ${parent}`, `add "${key}:" (${kinds[issue.expected] ?? issue.expected})`, at.line, at.column)];
      }
      const expected = issue.message.startsWith('expected ') ? issue.message.slice(9) : (kinds[issue.expected] ?? issue.expected);
      const bare = isScalar(loc.node) && typeof loc.node.value === 'number' && expected.includes('duration');
      const hint = bare ? `add a unit: "${got}s" or "${got}ms"` : `write ${expected} here`;
      return [problem(`${where}: expected ${expected}, got ${got}`, hint)];
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      const guess = loc.node ? closest(got.replace(/^"|"$/g, ''), values) : undefined;
      return [problem(`${where}: ${got} is not allowed`, `use one of ${quoteList(values)}${guess ? ` (did you mean "${guess}"?)` : ''}`)];
    }
    case 'invalid_union': {
      const options = (issue as { options?: unknown }).options;
      if ('discriminator' in issue && Array.isArray(options)) {
        const values = options.map(String);
        const what = loc.node ? `unknown ${where} ${got}` : `missing ${where}`;
        const guess = loc.node ? closest(got.replace(/^"|"$/g, ''), values) : undefined;
        const at = loc.node ? loc : missing();
        return [problem(`${what}`, `use one of ${quoteList(values)}${guess ? ` (did you mean "${guess}"?)` : ''}`, at.line, at.column)];
      }
      return [problem(`${where}: ${issue.message}, got ${got}`, issue.message.replace(/^expected /, 'write '))];
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`;
      if (issue.origin === 'array') {
        return [problem(`${where} needs ${bound} item(s)`, `list ${bound} item(s), one "- ..." line each`)];
      }
      return [problem(`${where} must be ${bound}, got ${got}`, `change ${where} to a value ${bound}`)];
    }
    case 'invalid_format':
      return [problem(`${where}: ${got} is not valid`, issue.message)];
    case 'custom': {
      const params = (issue.params ?? {}) as IssueParams;
      // Errors inside a rule point into the string: its start plus the rule's column.
      const scalarType = isScalar(loc.node) ? loc.node.type : undefined;
      const inline = scalarType === 'PLAIN' || scalarType === 'QUOTE_DOUBLE' || scalarType === 'QUOTE_SINGLE';
      const quoted = scalarType === 'PLAIN' ? 0 : 1;
      const column = params.column !== undefined && inline ? loc.column + quoted + params.column - 1 : loc.column;
      return [problem(`${where}: ${issue.message}`, params.hint, loc.line, column)];
    }
    default:
      return [problem(`${where}: ${issue.message}`, undefined)];
  }
}

/** `strictObject` carries the allowed keys in the issue's message. */
export function allowedKeys(message: string): string[] {
  try {
    const parsed = JSON.parse(message) as { allowed?: unknown };
    return Array.isArray(parsed.allowed) ? parsed.allowed.map(String) : [];
  } catch {
    return [];
  }
}
