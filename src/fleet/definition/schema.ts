import { z } from 'zod';
import { strictObject } from '../../input/fields.ts';
import { agentSchema, type AgentDefinition } from './agent-schema.ts';
import { dependencySchema, type DependencyDefinition } from './dependency-schema.ts';
import { crossCheck } from './cross-check.ts';
import { kafkaName, logicalName } from './fields.ts';
import { integritySchema, loadSchema } from './traffic-schema.ts';
import { monitoringSchema } from '../../scenario/detection-schema.ts';

const defaultPartitions = 6;

/** `requests:` alone is a topic with the defaults. */
const topic = strictObject({
  partitions: z.number().int().min(1).max(256).default(defaultPartitions),
  /** The production name; the drill's topic is `<drill prefix><name>`. Defaults to the key. */
  name: kafkaName.optional(),
})
  .nullable()
  .transform((t) => t ?? { partitions: defaultPartitions, name: undefined });

const bounded = <T extends z.ZodType>(value: T, max: number, what: string) =>
  z.record(logicalName, value).refine((r) => Object.keys(r).length <= max, `at most ${max} ${what}`);

/**
 * A team's own system as a drill sees it: the topics, the agents that read and write them, the
 * services they call, the load that drives them and where the pipeline ends. Written once per
 * fleet (`FleetInput`), used by any number of scenarios (`FleetConfig`: names filled in, every
 * reference checked). Shaped after compose files (services with a command or an image) rather
 * than a new vocabulary, so a team can read one next to its production manifests.
 */
const fleetObject = strictObject({
  name: logicalName,
  description: z.string().max(2000).default(''),
  topics: bounded(topic, 64, 'topics').refine((t) => Object.keys(t).length > 0, 'declare at least one topic'),
  agents: bounded(agentSchema, 32, 'agents').refine((a) => Object.keys(a).length > 0, 'declare at least one agent'),
  dependencies: bounded(dependencySchema, 32, 'dependencies').default({}),
  load: loadSchema,
  integrity: integritySchema.optional(),
  /** The team's Prometheus rule files and intervals, for scenarios paged by them (detection.prometheus). */
  monitoring: monitoringSchema.optional(),
  /** Commands run before a drill (build, install), each expected to be quick when nothing changed. */
  setup: z.array(strictObject({ argv: z.array(z.string().max(4096)).min(1).max(200), cwd: z.string().max(4096).optional() })).max(16).default([]),
});

/** What the cross-checks see: the parsed fleet before names are filled in. */
export type ParsedFleet = z.output<typeof fleetObject>;

export const fleetSchema = fleetObject
  .superRefine((fleet, ctx) => crossCheck(fleet, ctx))
  .transform((fleet) => ({
    ...fleet,
    topics: Object.fromEntries(Object.entries(fleet.topics).map(([key, t]) => [key, { partitions: t.partitions, name: t.name ?? key }])),
    agents: Object.fromEntries(
      Object.entries(fleet.agents).map(([name, a]): [string, AgentDefinition] => [name, { ...a, name, group: a.consumes ? (a.consumes.group ?? name) : undefined }]),
    ),
    dependencies: Object.fromEntries(Object.entries(fleet.dependencies).map(([name, d]): [string, DependencyDefinition] => [name, { ...d, name }])),
  }));

export type FleetInput = z.input<typeof fleetSchema>;
export type FleetConfig = z.output<typeof fleetSchema>;
/** A loaded fleet: the normalized config, its file, and the folder relative paths start from. */
export type FleetDefinition = FleetConfig & { file: string; dir: string };
