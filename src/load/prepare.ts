import type { Message } from 'kafkajs';
import { AgentdrillError, type Problem } from '../core/errors.ts';
import { fieldPathProblem, isJsonObject, readField, writeField } from './field-path.ts';
import { defaultStampHeader, headerNamePattern, loadLimits, runTagPattern, type LoadSpec } from './load-spec.ts';
import { readSamples, sampleProblems, type SampleEvent, type SampleReadOptions } from './samples.ts';
import { stampValue } from './stamp.ts';
import { parseTemplate, type EventTemplate } from './template.ts';

/** A load checked once up front: every later event is built without a chance to be refused for its spec. */
export interface PreparedLoad {
  readonly topic: string;
  readonly ratePerSec: number;
  readonly runTag: string;
  readonly stampHeader: string;
  /** The record for `seq` exactly as it is sent. Throws only if a template's text is not a JSON object for this seq. */
  message(seq: number, now: number): Message;
}

/** Seqs whose template values are checked up front: `{{pick}}` can vary the shape from event to event. */
const checkedSeqs = 32;

/** Throws FLEET_INVALID (exit 2) for the first problem of the spec, or with every bad line of a samples file. */
export async function prepareLoad(spec: LoadSpec, options: SampleReadOptions = {}): Promise<PreparedLoad> {
  checkScalars(spec);
  const header = spec.stamp?.header ?? defaultStampHeader;
  const field = spec.stamp?.field;
  if (field !== undefined) refuseIf(fieldPathProblem(field), 'load.stamp.field', 'write a dotted path such as meta.drillSeq');
  const { value: source } = spec;
  const samples = 'samples' in source ? { file: source.samples, events: await readSamples(source.samples, options) } : undefined;
  const valueAt = 'samples' in source ? sampleValues(samples!, field) : templateValues(source.template, field);
  const keyAt = spec.stamp?.key ? undefined : keyOf(spec.key, samples);
  return {
    topic: spec.topic,
    ratePerSec: spec.ratePerSec,
    runTag: spec.runTag,
    stampHeader: header,
    message(seq, now) {
      const stamp = stampValue(spec.runTag, seq);
      const raw = valueAt(seq, now);
      const value = field === undefined ? raw : withStamp(raw, field, stamp, seq);
      const key = spec.stamp?.key ? stamp : keyAt?.(seq, now);
      return { ...(key !== undefined ? { key } : {}), value, headers: { [header]: stamp } };
    },
  };
}

function checkScalars(spec: LoadSpec): void {
  const { ratePerSec: rate, runTag, topic } = spec;
  const max = loadLimits.maxRatePerSec;
  if (!(Number.isFinite(rate) && rate > 0 && rate <= max)) refuse('load.rate', `the rate ${rate}/s is outside 0 < rate <= ${max}/s`, `set a rate such as 200/s (at most ${max}/s)`);
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic)) refuse('load.topic', `"${topic}" is not a Kafka topic name`, 'letters, digits, ".", "_" and "-", at most 249');
  if (!runTagPattern.test(runTag) || runTag.length > loadLimits.runTagChars) refuse('runTag', `"${runTag}" cannot tag a stamp`, `letters, digits, ".", "_" and "-", at most ${loadLimits.runTagChars}`);
  const header = spec.stamp?.header;
  if (header !== undefined && !headerNamePattern.test(header)) refuse('load.stamp.header', `"${header}" is not a header name`, 'letters, digits, ".", "_" and "-", at most 100');
}

interface Samples {
  file: string;
  events: SampleEvent[];
}

function templateValues(template: string, field: string | undefined): EventTemplate {
  const render = parseTemplate(template, 'load.value.template');
  for (let seq = 1; field !== undefined && seq <= checkedSeqs; seq++) {
    if (!isJsonObject(parseOrUndefined(render(seq, 0)))) {
      refuse('load.value.template', `event ${seq} is not a JSON object, so it cannot carry stamp.field "${field}": ${render(seq, 0).slice(0, 80)}`, `make the template a JSON object such as '{"id": {{seq}}}', or drop stamp.field`);
    }
  }
  return render;
}

function sampleValues({ file, events }: Samples, field: string | undefined): EventTemplate {
  if (field !== undefined) {
    const bad = events.filter((s) => !isJsonObject(s.value));
    const problem = (s: SampleEvent): Problem => ({ file, line: s.line, message: `not a JSON object, so it cannot carry stamp.field "${field}"`, hint: 'every sample must be a JSON object when the stamp rides in a field' });
    if (bad.length > 0) throw sampleProblems(file, bad.slice(0, 20).map(problem));
  }
  const json = events.map((s) => s.json);
  return (seq) => json[(seq - 1) % json.length]!;
}

function keyOf(key: LoadSpec['key'], samples: Samples | undefined): EventTemplate | undefined {
  if (key === undefined) return undefined;
  if ('template' in key) return parseTemplate(key.template, 'load.key');
  refuseIf(fieldPathProblem(key.sampleField), 'load.key', 'write a dotted path such as customer.id');
  if (!samples) return refuse('load.key', `a key from the sample field "${key.sampleField}" needs value.samples`, 'use a key template such as order-{{seq}}, or load samples');
  const { file, events } = samples;
  const keys: string[] = [];
  const problems: Problem[] = [];
  for (const s of events) {
    const at = readField(s.value, key.sampleField);
    if (at === undefined || at === null) problems.push({ file, line: s.line, message: `has no "${key.sampleField}" for the key`, hint: 'every sample needs the key field, or use a key template' });
    keys.push(typeof at === 'string' ? at : JSON.stringify(at));
  }
  if (problems.length > 0) throw sampleProblems(file, problems.slice(0, 20));
  return (seq) => keys[(seq - 1) % keys.length]!;
}

function withStamp(raw: string, field: string, stamp: string, seq: number): string {
  const doc = parseOrUndefined(raw);
  if (!isJsonObject(doc)) refuse('load.value.template', `event ${seq} is not a JSON object, so it cannot carry stamp.field "${field}"`, 'make every rendering of the template a JSON object');
  writeField(doc as Record<string, unknown>, field, stamp);
  return JSON.stringify(doc);
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function refuseIf(problem: string | undefined, where: string, hint: string): void {
  if (problem !== undefined) refuse(where, problem, hint);
}

function refuse(where: string, message: string, hint: string): never {
  throw new AgentdrillError('FLEET_INVALID', `${where}: ${message}`, { hint, context: { where } });
}
