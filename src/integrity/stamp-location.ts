import type { IHeaders, KafkaMessage } from 'kafkajs';
import { AgentdrillError } from '../core/errors.ts';
import { fieldPathProblem, readField } from '../load/field-path.ts';
import { headerNamePattern } from '../load/load-spec.ts';

/** Where an output carries the stamp of the input it came from (the fleet file's `integrity.match`). */
export type StampLocation = { header: string } | { key: true } | { field: string };

/** What one output says about its stamp. `invalid`: a field is looked for, but the value is not JSON. */
export type StampFound = { kind: 'stamp'; text: string } | { kind: 'missing' } | { kind: 'invalid' };

export type EndRecord = Pick<KafkaMessage, 'headers' | 'key' | 'value'>;

/** Throws FLEET_INVALID for a header name or field path no output could ever carry. */
export function checkStampLocation(location: StampLocation): void {
  if ('header' in location && !headerNamePattern.test(location.header)) {
    throw new AgentdrillError('FLEET_INVALID', `integrity.match.header: "${location.header}" is not a header name`, { hint: 'letters, digits, ".", "_" and "-", e.g. agentdrill-stamp' });
  }
  const problem = 'field' in location ? fieldPathProblem(location.field) : undefined;
  if (problem) throw new AgentdrillError('FLEET_INVALID', `integrity.match.field: ${problem}`, { hint: 'write a dotted path such as meta.drillSeq' });
}

export function extractStamp(record: EndRecord, location: StampLocation): StampFound {
  if ('header' in location) return found(headerText(record.headers, location.header));
  if ('key' in location) return found(record.key?.toString('utf8'));
  // A tombstone (no value) is a record type of its own, not a broken event: it carries no stamp.
  if (record.value === null || record.value.length === 0) return { kind: 'missing' };
  let doc: unknown;
  try {
    doc = JSON.parse(record.value.toString('utf8'));
  } catch {
    return { kind: 'invalid' };
  }
  const at = readField(doc, location.field);
  return found(typeof at === 'string' ? at : undefined);
}

/** For messages: `header "agentdrill-stamp"`, `the record key`, `JSON field "meta.drillSeq"`. */
export function describeStampLocation(location: StampLocation): string {
  if ('header' in location) return `header "${location.header}"`;
  return 'key' in location ? 'the record key' : `JSON field "${location.field}"`;
}

/** A header repeated on one record (an agent appending its copy to the input's) counts by its first value. */
function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString('utf8');
}

function found(text: string | undefined): StampFound {
  return text === undefined || text === '' ? { kind: 'missing' } : { kind: 'stamp', text };
}
