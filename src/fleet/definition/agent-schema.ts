import { z } from 'zod';
import { duration, strictObject } from '../../input/fields.ts';
import { restartModes } from '../restart-policy.ts';
import { command, envVars, logicalName, megabytes, replicaCount, text, versionText } from './fields.ts';

/**
 * How the supervisor knows an instance is up: its HTTP endpoint answers 2xx, its port accepts a
 * connection, or it has joined its consumer group (the only signal a plain Kafka consumer gives).
 */
const health = z.union(
  [
    strictObject({ http: text, timeout: duration({ min: 1000, max: 10 * 60_000 }).prefault('60s') }),
    strictObject({ tcp: text, timeout: duration({ min: 1000, max: 10 * 60_000 }).prefault('60s') }),
    strictObject({ group: z.literal(true), timeout: duration({ min: 1000, max: 10 * 60_000 }).prefault('60s') }),
  ],
  { error: 'expected one of { http: <url> }, { tcp: <host:port> } or { group: true }' },
);

/**
 * A state file or a state folder the agent keeps; corrupt-state drills need one of them. `verify`
 * is the team's own check that an instance's state agrees with the log (exit 0 when it does):
 * only the team knows how its state is derived, so without it the drill says "not assessed".
 */
const state = z.union(
  [strictObject({ file: text, verify: command.optional() }), strictObject({ dir: text, verify: command.optional() })],
  { error: 'expected { file: <path> } or { dir: <path> } (each with an optional verify: { argv }), e.g. { file: "${agent.stateDir}/totals.json" }' },
);

/**
 * How the docker provider builds `image` before a drill, as compose's `build:` does: the team's
 * own Dockerfile, built on this machine (with the layer cache, so an unchanged image takes a
 * second). Paths are relative to the fleet file.
 */
const build = strictObject({
  context: text,
  dockerfile: text.optional(),
  args: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'a build argument name: letters, digits and "_"'), text).default({}),
});

/**
 * A leak in the agent's own code that its admin endpoint switches on, as a fault-injection flag:
 * memory-growth POSTs `{ <rate>: MB per second, <retain>: ms }` to `<url>/config` on each
 * instance, and `{ <rate>: 0 }` to end it. The agent grows its own memory, under any provider.
 */
const settingKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'a settings key: letters, digits, "_", "." and "-"');
const adminLeak = strictObject({ rate: settingKey, retain: settingKey.optional() });

export const agentSchema = strictObject({
  description: z.string().max(500).default(''),
  /** Run under the local provider (and under docker when agents run as processes). */
  command: command.optional(),
  /** Run under the docker provider as a container of this image (built locally or pulled). */
  image: text.optional(),
  /** Builds `image` from the team's Dockerfile before the drill (docker provider). */
  build: build.optional(),
  /** The agent's environment as a process and as a container alike; `command.env` adds to it for the process. */
  env: envVars,
  /**
   * The release this agent runs (reports and the history show it next to TTD/TTR); default: its
   * image's tag. Only `${env.NAME}` may fill it, e.g. `${env.SCORER_VERSION:-dev}`.
   */
  version: versionText.optional(),
  replicas: replicaCount.default(1),
  /** The topic this agent reads and the consumer group it reads it in (default: the agent's name). */
  consumes: strictObject({ topic: logicalName, group: logicalName.optional() }).optional(),
  /** Topics it writes; the plan and the report draw the pipeline from these. */
  produces: z.array(logicalName).max(16).default([]),
  state: state.optional(),
  /** The memory limit it runs with in production; under docker, the container's limit. */
  memory: megabytes({ min: 16, max: 64 * 1024 }).optional(),
  /**
   * The heap limit its runtime is given (V8's old space, a JVM's -Xmx): the command passes it on
   * as `${instance.heapMb}`, and `ctl restart <agent> --heap N` starts an instance with another.
   * Without a cgroup (local processes) this is the limit a leak runs into.
   */
  heap: megabytes({ min: 16, max: 64 * 1024 }).optional(),
  health: health.optional(),
  /** A Prometheus text endpoint; its counters become usable in rules (metric(agent=..., name=...)). */
  metrics: strictObject({
    url: text,
    /** A counter of the inputs it rejected (a series of that endpoint): `invalid(agent=NAME)` in rules reads it. */
    invalid: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a Prometheus metric name such as invalid_inputs_total').optional(),
  }).optional(),
  /** What the supervisor does when an instance ends on its own (restart-policy.ts). */
  /**
   * The agent's own runtime-settings endpoint: `ctl config <agent> key=value` POSTs the settings as
   * a JSON object to `<url>/config` on each instance (docs/fleet-format.md, "Admin endpoint").
   */
  admin: strictObject({ url: text, leak: adminLeak.optional() }).optional(),
  restart: z.enum(restartModes).default('always'),
  /** Graceful stop: SIGTERM, then SIGKILL after this long. */
  stopGrace: duration({ min: 0, max: 5 * 60_000 }).prefault('8s'),
});

export type AgentInput = z.input<typeof agentSchema>;
export type AgentDefinition = z.output<typeof agentSchema> & { name: string; group: string | undefined };
