import { z } from 'zod';
import { rate, strictObject } from '../../input/fields.ts';
import { fieldPathProblem } from '../../load/field-path.ts';
import { loadLimits } from '../../load/load-spec.ts';
import { logicalName, text } from './fields.ts';

const headerName = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'a header name: letters, digits, ".", "_" and "-"');
const jsonPath = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,15}$/, 'a dotted field path such as meta.drillSeq')
  .refine((p) => fieldPathProblem(p) === undefined, { error: (iss) => fieldPathProblem(String(iss.input)) ?? 'not a usable field path' });

/** What the harness's one producer can honour (src/load/load-spec.ts), not the generic rate bound. */
export const loadRate = rate.refine((r) => r <= loadLimits.maxRatePerSec, `the harness's load generator sends at most ${loadLimits.maxRatePerSec}/s`);

/**
 * The harness's own producer. Keys and values are per-event templates (`{{seq}}`, `{{uuid}}`...),
 * written with double braces because they are filled for every event, unlike `${...}`, which is
 * filled once when the fleet starts. Every event is stamped: a header always, and where the
 * team's agents drop headers, also the key or a JSON field they do carry through.
 */
export const loadSchema = strictObject({
  topic: logicalName,
  rate: loadRate,
  key: text.optional(),
  value: z.union([strictObject({ template: text }), strictObject({ samples: text })], {
    error: 'expected { template: "<json with {{seq}}...>" } or { samples: <file.jsonl> }',
  }),
  stamp: strictObject({
    header: headerName.default('agentdrill-stamp'),
    /** Also put the stamp in the record key (replaces `key:`). */
    key: z.boolean().default(false),
    /** Also put the stamp in this field of the JSON value. */
    field: jsonPath.optional(),
  }).prefault({}),
}).transform(({ rate, ...rest }) => ({ ...rest, ratePerSec: rate }));

/**
 * The end of the pipeline and how an output is matched to the input it came from. Where the
 * agents carry no stamp through, the drill can only compare counts, and says so.
 */
export const integritySchema = strictObject({
  topic: logicalName,
  match: z.union([strictObject({ header: headerName }), strictObject({ key: z.literal(true) }), strictObject({ field: jsonPath })], {
    error: 'expected { header: agentdrill-stamp }, { key: true } or { field: meta.drillSeq }',
  }),
});

export type LoadDefinition = z.output<typeof loadSchema>;
export type IntegrityDefinition = z.output<typeof integritySchema>;
