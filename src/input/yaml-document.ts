import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Problem } from '../core/errors.ts';

/** A user's YAML file, parsed with positions, or every syntax problem in it. */
export type ParsedYaml = { ok: true; doc: Document; lineCounter: LineCounter; data: unknown } | { ok: false; problems: Problem[] };

/**
 * Parses YAML for a schema check: syntax errors at their line, aliases bounded (a "billion
 * laughs" file cannot expand), deep nesting said in words instead of yaml's own stack overflow.
 * `kind` names the file in messages ("scenario", "fleet file"); `example` is where to start from.
 */
export function parseYaml(text: string, file: string, what: { kind: string; maxChars: number; example: string }): ParsedYaml {
  // The file reader caps the size too; text can also come from elsewhere (tests, tools).
  if (text.length > what.maxChars) {
    return fail(file, `the ${what.kind} has ${text.length} characters, over the limit of ${what.maxChars}`, `a ${what.kind} is a page or two of YAML; trim it`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        file,
        line: lineCounter.linePos(e.pos[0]).line,
        column: lineCounter.linePos(e.pos[0]).col,
        ...(tooDeep(e)
          ? { message: 'YAML nests too deeply to read', hint: `a ${what.kind} needs a few levels of nesting; remove the extra [ and {` }
          : {
              message: `YAML syntax: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
              hint: 'fix the YAML syntax here (indentation, quotes, brackets); values with ": " or "#" need quotes',
            }),
      })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const message = tooDeep(e) ? 'YAML nests too deeply to read' : `YAML could not be read: ${(e as Error).message}`;
    return fail(file, message, 'avoid aliases (*name), custom tags and deep nesting');
  }
  if (data === null || data === undefined) return fail(file, `the ${what.kind} is empty`, `start from ${what.example}`);
  return { ok: true, doc, lineCounter, data };
}

function fail(file: string, message: string, hint: string): ParsedYaml {
  return { ok: false, problems: [{ file, line: 1, column: 1, message, hint }] };
}

/** yaml reports its own stack overflow on deep nesting as an error; say what it means. */
function tooDeep(e: unknown): boolean {
  return e instanceof RangeError || (e instanceof Error && e.message.includes('Maximum call stack size exceeded'));
}
