import { z } from 'zod';
import { AgentdrillError, type Problem } from '../../core/errors.ts';
import { closest } from '../../detect/suggest.ts';
import { strictObject } from '../../input/fields.ts';
import { allowedKeys } from '../../input/issues.ts';
import { envName, logicalName, replicaCount, text, versionText } from '../definition/fields.ts';
import { loadRate } from '../definition/traffic-schema.ts';

/**
 * `agentdrill run --set <path>=<value>`: what CI changes in a fleet file for the release it just
 * built, without editing the file. Only what a release changes is settable (its image, version,
 * replicas, environment) and the load it is drilled under; topics, commands and the pipeline's
 * shape stay the file's, so a drill of release N+1 is the same drill as release N.
 */
export const settablePaths = [
  'agents.<agent>.image',
  'agents.<agent>.version',
  'agents.<agent>.replicas',
  'agents.<agent>.heap',
  'agents.<agent>.command.env.<VAR>',
  'topics.<topic>.partitions',
  'load.rate',
] as const;

/** At most this many flags: a CI line, not a second fleet file. */
export const maxSetFlags = 64;

/** Replicas as a shell writes them ("3"), checked as the fleet file checks its own. */
const writtenReplicas = z.string().transform((written, ctx) => {
  const parsed = replicaCount.safeParse(/^\d{1,3}$/.test(written) ? Number(written) : NaN);
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: 'custom', message: `${JSON.stringify(written)} is not a whole number of instances from 1 to 32`, params: { hint: 'write e.g. agents.scorer.replicas=3' } });
  return z.NEVER;
});

/** Partitions as a shell writes them ("10"), within the fleet file's own bounds. */
const writtenPartitions = z.string().transform((written, ctx) => {
  const n = /^\d{1,3}$/.test(written) ? Number(written) : NaN;
  if (n >= 1 && n <= 256) return n;
  ctx.addIssue({ code: 'custom', message: `${JSON.stringify(written)} is not a number of partitions from 1 to 256`, params: { hint: 'write e.g. topics.requests.partitions=12' } });
  return z.NEVER;
});

/** The settable part of a fleet file, as nested keys: unknown keys are refused with the allowed ones. */
const settable = strictObject({
  agents: z
    .record(
      logicalName,
      strictObject({
        image: text.min(1, 'expected an image such as acme/scorer:1.5.0').optional(),
        version: versionText.optional(),
        replicas: writtenReplicas.optional(),
        /** A heap limit as the file writes it (`192MB`); the file's own rule checks it. */
        heap: text.min(1, 'expected a size such as 512MB').optional(),
        // Optional so that `command.argv=...` reads as an unknown key, not as a missing env.
        command: strictObject({ env: z.record(envName, text).optional() }).optional(),
      }),
    )
    .optional(),
  topics: z.record(logicalName, strictObject({ partitions: writtenPartitions.optional() })).optional(),
  load: strictObject({ rate: loadRate }).optional(),
});

export interface SetOverride {
  /** `agents.scorer.image`, as written. */
  path: string;
  keys: string[];
  /** The value as written, for the journal and the report. */
  written: string;
  /** What the fleet file gets: a number for replicas and rates, the text otherwise. */
  value: string | number;
}

/** One `--set path=value`; its problems name the flag as written and list what is settable. */
export const setFlag = z.string().transform((flag, ctx): SetOverride => {
  const fail = (message: string, hint = `settable: ${settablePaths.join(', ')}`) => {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(flag)}: ${message}`, params: { hint } });
    return z.NEVER;
  };
  const eq = flag.indexOf('=');
  if (eq <= 0) return fail(eq < 0 ? 'expected <path>=<value>' : 'no path before "="', 'write e.g. --set agents.scorer.image=acme/scorer:1.5.0');
  const path = flag.slice(0, eq);
  const written = flag.slice(eq + 1);
  const keys = path.split('.');
  // zod skips such keys silently, and a fleet file's object must never get a new prototype.
  if (keys.includes('__proto__')) return fail('"__proto__" is not a key of a fleet file');
  // Keys nested as the fleet file nests them, so the fleet file's own rules judge the value.
  const nested = keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), written);
  const parsed = settable.safeParse(nested);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(...describe(issue, path));
  }
  let value: unknown = parsed.data;
  for (const key of keys) value = Object.hasOwn(value as object, key) ? (value as Record<string, unknown>)[key] : undefined;
  if (typeof value !== 'string' && typeof value !== 'number') return fail(`${path} is not settable`);
  return { path, keys, written, value };
});

/** Written form (what the shell passes) apart from the normalized overrides. */
export const setFlags = z.array(setFlag).max(maxSetFlags, `at most ${maxSetFlags} --set flags`);
export type SetFlagsInput = z.input<typeof setFlags>;

/**
 * Every `--set` checked at once, before any file is read: USAGE (exit 2) with one problem per bad
 * flag. A path set twice keeps the last value, as later flags win on a command line.
 */
export function parseSetFlags(flags: SetFlagsInput): SetOverride[] {
  const parsed = setFlags.safeParse(flags);
  if (!parsed.success) {
    const problems: Problem[] = parsed.error.issues.map((i) => ({ file: '--set', message: i.message, hint: (i as { params?: { hint?: string } }).params?.hint ?? `at most ${maxSetFlags} flags` }));
    throw new AgentdrillError('USAGE', problems.length === 1 ? 'an invalid --set flag; nothing was started' : `${problems.length} invalid --set flags; nothing was started`, { hint: problems[0]?.hint, problems });
  }
  const byPath = new Map<string, SetOverride>();
  for (const o of parsed.data) {
    byPath.delete(o.path);
    byPath.set(o.path, o);
  }
  return [...byPath.values()];
}

/** A zod issue on the nested keys, as the message and hint of one flag's problem. */
function describe(issue: z.core.$ZodIssue, path: string): [string, string?] {
  const at = issue.path.map(String);
  const where = at.join('.');
  const settableHint = (guess?: string) => `settable: ${settablePaths.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0]!;
      return [`unknown key "${key}" ${where ? `in ${where}` : 'at the top'}`, settableHint(closest(key, allowedKeys(issue.message)))];
    }
    case 'invalid_key': {
      const key = at.at(-1) ?? '';
      const what = at[0] === 'agents' && at.length === 2 ? 'an agent name' : 'an environment variable name';
      return [`"${key}" is not ${what}`, issue.issues[0]?.message];
    }
    case 'invalid_type':
      // A string where an object belongs: the path stops at a section; an object where text belongs: it goes past a value.
      return issue.expected === 'object' || issue.expected === 'record'
        ? [`${where} is a section, not a value`, settableHint()]
        : [`${path} goes past ${where}, which takes a value`, settableHint()];
    default: {
      const hint = (issue as { params?: { hint?: string } }).params?.hint;
      return [`${where}: ${issue.message}`, hint ?? settableHint()];
    }
  }
}

