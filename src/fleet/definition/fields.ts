import { z } from 'zod';
import { strictObject } from '../../input/fields.ts';

/**
 * Field schemas of a fleet file. Logical names (topics, agents, dependencies) appear inside
 * `${topics.<name>}` templates, so they cannot hold dots; the real Kafka names are built per
 * drill from a prefix and the topic's `name:` (which may hold dots, as production topics do).
 */
export const logicalName = z
  .string({ error: 'expected a name such as payments or fraud-api' })
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use lower-case letters, digits, "-" and "_" (up to 63), starting with a letter or digit, e.g. fraud-api');

/** Kafka's own rule for topic and group names, less room for the drill's prefix (about 12). */
export const kafkaName = z
  .string({ error: 'expected a Kafka topic or group name' })
  .regex(/^[A-Za-z0-9._-]{1,200}$/, 'use letters, digits, ".", "_" and "-" (up to 200), as Kafka allows');

/** One argv item or env value; templates (`${...}`) are checked against the fleet separately. */
export const text = z.string({ error: 'expected text (quote numbers: "8080")' }).max(4096, 'at most 4096 characters');

export const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name: letters, digits and "_", not starting with a digit');

export const envVars = z
  .record(envName, text)
  .refine((env) => Object.keys(env).length <= 200, 'at most 200 variables')
  .default({});

/** Instances of an agent at start; `ctl scale` changes it during a drill. */
export const replicaCount = z.number({ error: 'expected a whole number of instances, 1 to 32' }).int('expected a whole number of instances, 1 to 32').min(1, 'at least 1 instance').max(32, 'at most 32 instances');

/**
 * The release under test (`1.5.0`, a commit, a build number), as reports print it: one line of
 * printable text. `${env.NAME}` may fill it, so CI passes the version it just built.
 */
export const versionText = z
  .string({ error: 'expected a version such as 1.5.0 (quote numbers: "2")' })
  .min(1, 'expected a version, not an empty value')
  .max(200, 'at most 200 characters')
  .regex(/^[^\u0000-\u001f\u007f-\u009f]+$/, 'one line of printable text, no control characters');

/** A program as the team runs it: argv (no shell), the folder it runs in, its environment. */
export const command = strictObject({
  argv: z.array(text).min(1).max(200),
  /** Relative to the fleet file's folder. */
  cwd: text.optional(),
  env: envVars,
});

const sizeUnitsMb: Record<string, number> = { k: 1 / 1024, m: 1, g: 1024 };

/** `256MB`, `1.5GiB`, `512Mi`: sizes in MiB, as container engines and Kubernetes count them. */
export function megabytes(range: { min: number; max: number }) {
  return z.union([z.string(), z.number()], { error: 'expected a size such as 256MB' }).transform((value, ctx) => {
    const m = /^(\d+(?:\.\d+)?)\s*([kmg])(?:i?b|i)?$/i.exec(String(value).trim());
    const mb = m ? Number(m[1]) * sizeUnitsMb[m[2]!.toLowerCase()]! : NaN;
    if (!(mb >= range.min && mb <= range.max)) {
      const why = m ? `${JSON.stringify(String(value))} is out of range` : `${JSON.stringify(String(value))} is not a size`;
      ctx.addIssue({ code: 'custom', message: why, params: { hint: `write a size from ${range.min}MB to ${range.max / 1024}GB, e.g. 256MB` } });
      return z.NEVER;
    }
    return Math.round(mb);
  });
}

/** `host:port`, as Toxiproxy's upstream takes it. */
export const hostPort = z.string({ error: 'expected host:port, e.g. 10.0.0.7:8443' }).superRefine((value, ctx) => {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]{1,253}):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : 0;
  if (!m || port < 1 || port > 65_535) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not host:port`, params: { hint: 'write the address the agents dial in production, e.g. payments-db.internal:5432' } });
  }
});
