/**
 * Prometheus' text exposition format (version 0.0.4), as client libraries serve it on /metrics:
 *
 *   # HELP name docstring
 *   # TYPE name counter|gauge|histogram|summary|untyped
 *   name{label="value",...} value [timestamp]
 *
 * Strict, as Prometheus is when it scrapes: one malformed line fails the whole read (the scraper
 * then keeps the instance's previous values), so a half-understood page never reads as numbers.
 * Values are floats with `+Inf`, `-Inf` and `NaN`; label values unescape `\\`, `\"` and `\n`.
 * The only npm parser of this format (parse-prometheus-text-format) is lenient, untyped and
 * unmaintained since 2019; this one is small enough to own.
 */
import { labelNamePattern, seriesNamePattern } from '../detect/series.ts';

export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export const metricTypes = ['counter', 'gauge', 'histogram', 'summary', 'untyped'] as const;
export type MetricType = (typeof metricTypes)[number];

export interface Exposition {
  samples: ExpositionSample[];
  /** From `# TYPE` lines; a name without one is untyped. */
  types: Map<string, MetricType>;
}

export type ParseExpositionResult = { ok: true; exposition: Exposition } | { ok: false; line: number; message: string };

class LineError {
  constructor(readonly message: string) {}
}

const valuePattern = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;
const timestampPattern = /^-?\d{1,19}$/;
const escapes: Record<string, string> = { '\\': '\\', '"': '"', n: '\n' };

export function parseExposition(text: string): ParseExpositionResult {
  const samples: ExpositionSample[] = [];
  const types = new Map<string, MetricType>();
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    // Leading and trailing blanks are not part of a line; a CR is a Windows line end.
    const line = lines[n]!.replace(/\r$/, '').trim();
    if (line === '') continue;
    try {
      if (line.startsWith('#')) readComment(line, types);
      else samples.push(readSample(line));
    } catch (e) {
      if (e instanceof LineError) return { ok: false, line: n + 1, message: e.message };
      throw e;
    }
  }
  return { ok: true, exposition: { samples, types } };
}

/** `# HELP` and `# TYPE` name a metric and must be well formed; any other `#` line is a comment. */
function readComment(line: string, types: Map<string, MetricType>): void {
  const words = line.slice(1).trim().split(/[ \t]+/);
  const [keyword, name, type] = words;
  if (keyword !== 'HELP' && keyword !== 'TYPE') return;
  if (name === undefined || !seriesNamePattern.test(name)) throw new LineError(`# ${keyword} needs a metric name, got ${name === undefined ? 'none' : `"${name}"`}`);
  if (keyword === 'HELP') return;
  if (words.length !== 3 || !(metricTypes as readonly string[]).includes(type!)) {
    throw new LineError(`# TYPE ${name} needs one of ${metricTypes.join(', ')}, got "${words.slice(2).join(' ')}"`);
  }
  types.set(name, type as MetricType);
}

function readSample(line: string): ExpositionSample {
  const name = /^[^\s{]*/.exec(line)![0];
  if (!seriesNamePattern.test(name)) throw new LineError(`"${name}" is not a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)`);
  let i = name.length;
  let labels: Record<string, string> = {};
  const brace = skipBlanks(line, i);
  if (line[brace] === '{') {
    ({ labels, end: i } = readLabels(line, brace + 1));
    if (i < line.length && line[i] !== ' ' && line[i] !== '\t') throw new LineError(`expected a blank before the value of ${name}`);
  }
  const [valueText, timestampText, extra] = line.slice(i).trim().split(/[ \t]+/);
  if (!valueText || !valuePattern.test(valueText)) throw new LineError(`${name} has no valid value (a float, +Inf, -Inf or NaN), got ${valueText ? `"${valueText}"` : 'none'}`);
  if (extra !== undefined) throw new LineError(`unexpected "${extra}" after the value and timestamp of ${name}`);
  if (timestampText !== undefined && !timestampPattern.test(timestampText)) throw new LineError(`${name} has a timestamp "${timestampText}", expected integer milliseconds`);
  return { name, labels, value: floatOf(valueText), ...(timestampText !== undefined ? { timestampMs: Number(timestampText) } : {}) };
}

/** From just past `{` to just past `}`. Built with fromEntries, so a label named `__proto__` is a label. */
function readLabels(line: string, start: number): { labels: Record<string, string>; end: number } {
  const entries: [string, string][] = [];
  let i = skipBlanks(line, start);
  while (line[i] !== '}') {
    const label = /^[^\s=,}]*/.exec(line.slice(i))![0];
    if (!labelNamePattern.test(label)) throw new LineError(`"${label}" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)`);
    if (entries.some(([k]) => k === label)) throw new LineError(`label ${label} appears twice`);
    i = skipBlanks(line, i + label.length);
    if (line[i] !== '=') throw new LineError(`expected "=" after label ${label}`);
    i = skipBlanks(line, i + 1);
    if (line[i] !== '"') throw new LineError(`expected a quoted value for label ${label}`);
    const { value, end } = readQuoted(line, i + 1, label);
    entries.push([label, value]);
    i = skipBlanks(line, end);
    if (line[i] === ',') i = skipBlanks(line, i + 1);
    else if (line[i] !== '}') throw new LineError(`expected "," or "}" after label ${label}`);
  }
  return { labels: Object.fromEntries(entries), end: i + 1 };
}

function readQuoted(line: string, start: number, label: string): { value: string; end: number } {
  let value = '';
  for (let i = start; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') return { value, end: i + 1 };
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const decoded = escapes[line[i + 1] ?? ''];
    if (decoded === undefined) throw new LineError(`label ${label} has an unknown escape "\\${line[i + 1] ?? ''}"`);
    value += decoded;
    i++;
  }
  throw new LineError(`the value of label ${label} is never closed`);
}

function skipBlanks(line: string, i: number): number {
  while (line[i] === ' ' || line[i] === '\t') i++;
  return i;
}

function floatOf(text: string): number {
  const t = text.toLowerCase().replace(/^\+/, '');
  if (t === 'nan') return NaN;
  if (t === 'inf' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return Number(text);
}
