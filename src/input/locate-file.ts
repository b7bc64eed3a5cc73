import { readUserFileSync } from '../core/user-file.ts';
import { parseYaml } from './yaml-document.ts';
import { locate } from './yaml-positions.ts';

/**
 * Where a path sits in a user's YAML file that was already validated (read again, guarded the
 * same way): for problems found later than the schema check, such as what a provider cannot run.
 * Line 1 when the file cannot be read again; the message still names the file and the path.
 */
export function locatorFor(file: string, what: { kind: string; maxBytes: number }): (path: readonly PropertyKey[]) => { line: number; column: number } {
  let parsed: ReturnType<typeof parseYaml> | undefined;
  try {
    parsed = parseYaml(readUserFileSync(file, { kind: what.kind, maxBytes: what.maxBytes }), file, { kind: what.kind, maxChars: what.maxBytes, example: '' });
  } catch {
    parsed = undefined;
  }
  return (path) => {
    if (!parsed?.ok) return { line: 1, column: 1 };
    const at = locate(parsed.doc, parsed.lineCounter, path);
    return { line: at.line, column: at.column };
  };
}
