/**
 * `${...}` in a fleet file: addresses and names filled in once, when an instance starts, so a
 * team's agent gets its configuration the way production gives it (env and argv) and runs
 * unchanged. `$${` writes a literal `${`. `${env.NAME:-fallback}` reads the harness's
 * environment, for the release gate (`IMAGE_TAG`, a version under test).
 */
export interface TemplateRef {
  /** As written between the braces, e.g. `deps.fraud-api.url`. */
  ref: string;
  /** 1-based column of the `$` inside the string. */
  column: number;
  /** `${env.NAME:-x}` only. */
  fallback?: string;
}

export type TemplatePart = { text: string } | TemplateRef;

/** Splits a string into literal text and references; `unclosed` is the column of a `${` without `}`. */
export function parseTemplate(value: string): { parts: TemplatePart[]; unclosed?: number } {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < value.length) {
    if (value.startsWith('$${', i)) {
      literal += '${';
      i += 3;
    } else if (value.startsWith('${', i)) {
      const end = value.indexOf('}', i + 2);
      if (end < 0) return { parts, unclosed: i + 1 };
      if (literal) parts.push({ text: literal });
      literal = '';
      const inner = value.slice(i + 2, end).trim();
      const sep = inner.indexOf(':-');
      parts.push(sep >= 0 ? { ref: inner.slice(0, sep), column: i + 1, fallback: inner.slice(sep + 2) } : { ref: inner, column: i + 1 });
      i = end + 1;
    } else {
      literal += value[i];
      i += 1;
    }
  }
  if (literal) parts.push({ text: literal });
  return { parts };
}

export function templateRefs(value: string): TemplateRef[] {
  return parseTemplate(value).parts.filter((p): p is TemplateRef => 'ref' in p);
}

/**
 * Fills every reference from `lookup`; a reference it cannot fill (undefined) is returned in
 * `missing` rather than written as an empty string, so a typo never starts an agent half-configured.
 */
export function renderTemplate(value: string, lookup: (ref: TemplateRef) => string | undefined): { text: string; missing: TemplateRef[] } {
  const missing: TemplateRef[] = [];
  const text = parseTemplate(value)
    .parts.map((part) => {
      if ('text' in part) return part.text;
      const filled = lookup(part);
      if (filled === undefined) missing.push(part);
      return filled ?? '';
    })
    .join('');
  return { text, missing };
}
