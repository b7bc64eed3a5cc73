import { parseDocument } from 'yaml';
import type { Finding } from './model.ts';

export interface FrontMatter {
  data: Record<string, unknown>;
  /** The text with the front matter blanked out line by line, so Markdown positions stay true. */
  body: string;
  findings: Omit<Finding, 'file'>[];
}

/** A leading `---` ... `---` (or `...`) YAML block, as Jekyll, Hugo and Backstage write it. */
export function extractFrontMatter(text: string): FrontMatter {
  const lines = text.split('\n');
  // A BOM (Windows editors save one) must not hide the opening ---.
  if (lines[0]?.replace(/^\uFEFF/, '').replace(/\r$/, '') !== '---') return { data: {}, body: text, findings: [] };
  const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\r?$/.test(l));
  if (end < 0) return { data: {}, body: text, findings: [] };
  const yaml = lines.slice(1, end).join('\n');
  const body = [...lines.slice(0, end + 1).map(() => ''), ...lines.slice(end + 1)].join('\n');
  const findings: Omit<Finding, 'file'>[] = [];
  let data: Record<string, unknown> = {};
  try {
    const doc = parseDocument(yaml);
    const first = doc.errors[0];
    if (first) {
      findings.push({
        line: (first.linePos?.[0].line ?? 1) + 1,
        column: first.linePos?.[0].col ?? 1,
        rule: 'front-matter',
        severity: 'error',
        message: `front matter is not valid YAML: ${first.message.split('\n')[0]}`,
        hint: 'fix the YAML between the leading --- lines',
      });
    } else {
      const value: unknown = doc.toJS({ maxAliasCount: 100 });
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) data = value as Record<string, unknown>;
      else if (value != null) {
        findings.push({ line: 2, column: 1, rule: 'front-matter', severity: 'warning', message: 'front matter is not a mapping; ignored', hint: 'write key: value lines' });
      }
    }
  } catch (e) {
    findings.push({ line: 2, column: 1, rule: 'front-matter', severity: 'error', message: `front matter cannot be read: ${(e as Error).message}`, hint: 'avoid YAML aliases and custom tags' });
  }
  return { data, body, findings };
}

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Front matter `env:` binds the names steps may use: a mapping (`RUN_ID: drill-1`) gives values
 * the drill exports; a list (`[RUN_ID]`) only declares names someone exports before running.
 */
export function envBindings(data: Record<string, unknown>, text: string): { env: Record<string, string>; findings: Omit<Finding, 'file'>[] } {
  const raw = data.env;
  const env: Record<string, string> = {};
  const findings: Omit<Finding, 'file'>[] = [];
  if (raw === undefined || raw === null) return { env, findings };
  const line = Math.max(1, text.split('\n').findIndex((l) => /^env\s*:/.test(l)) + 1);
  const bad = (message: string) => findings.push({ line, column: 1, rule: 'front-matter', severity: 'error', message, hint: 'write env: as NAME: value lines, or a list of NAMEs' });
  const entries: [string, unknown][] = Array.isArray(raw) ? raw.map((n): [string, unknown] => [String(n), '']) : typeof raw === 'object' ? Object.entries(raw) : [];
  if (entries.length === 0 && !(Array.isArray(raw) || typeof raw === 'object')) bad('front matter env: is neither a mapping nor a list');
  for (const [name, value] of entries) {
    if (!envName.test(name)) bad(`front matter env: "${name}" is not a variable name`);
    else if (value !== null && typeof value === 'object') bad(`front matter env: ${name} has a nested value`);
    else env[name] = value == null ? '' : String(value as string | number | boolean);
  }
  return { env, findings };
}
