import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../core/settings.ts';
import type { FleetDefinition } from '../fleet/definition/schema.ts';
import type { FleetTopology, ReferenceTopology } from '../fleet/types.ts';
import type { StartedInfra } from '../infra/provider.ts';

/** Set for every step of every drill. */
const commonNames = ['PATH', 'AGENTDRILL_CONTROL_URL', 'AGENTDRILL_DRILL_ID', 'KAFKA_BOOTSTRAP_SERVERS', 'TOXIPROXY_URL'] as const;

/** The variables the drill sets for every step of a reference-fleet drill; `validate` treats them as bound. */
export const drillEnvironmentNames = [
  ...commonNames,
  'INVENTORY_API_URL',
  'ORDERS_TOPIC',
  'INVENTORY_CHECKED_TOPIC',
  'DECISIONS_TOPIC',
  'FULFILLED_TOPIC',
  'INVENTORY_GROUP',
  'DECISION_GROUP',
  'FULFILLMENT_GROUP',
  'SINK_GROUP',
  'DECISION_STATE_FILE',
] as const;

/** `fraud-api` → `FRAUD_API`: how a fleet file's names appear in a step's environment. */
export function envNameOf(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/**
 * A fleet file's names as steps see them, following the reference fleet's pattern: each topic
 * as `<TOPIC>_TOPIC`, each group as `<GROUP>_GROUP`, each dependency's proxied address as `<DEP>_URL`.
 */
export function fleetFileEnvironmentNames(fleet: FleetDefinition): string[] {
  const groups = Object.values(fleet.agents).flatMap((a) => (a.group ? [a.group] : []));
  return [
    ...commonNames,
    ...Object.keys(fleet.topics).map((t) => `${envNameOf(t)}_TOPIC`),
    ...groups.map((g) => `${envNameOf(g)}_GROUP`),
    ...Object.keys(fleet.dependencies).map((d) => `${envNameOf(d)}_URL`),
  ];
}

/** The values of fleetFileEnvironmentNames for one drill. */
export function fleetFileVariables(topology: FleetTopology, dependencyUrls: Record<string, string>): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, real] of Object.entries(topology.topics)) vars[`${envNameOf(name)}_TOPIC`] = real;
  for (const [name, real] of Object.entries(topology.groups)) vars[`${envNameOf(name)}_GROUP`] = real;
  for (const [name, url] of Object.entries(dependencyUrls)) vars[`${envNameOf(name)}_URL`] = url;
  return vars;
}

/** The reference fleet's names, as its runbook uses them. */
export function referenceVariables(topology: ReferenceTopology, inventoryApiUrl: string, workDir: string): Record<string, string> {
  return {
    INVENTORY_API_URL: inventoryApiUrl,
    ORDERS_TOPIC: topology.topics.orders,
    INVENTORY_CHECKED_TOPIC: topology.topics.inventoryChecked,
    DECISIONS_TOPIC: topology.topics.decisions,
    FULFILLED_TOPIC: topology.topics.fulfilled,
    INVENTORY_GROUP: topology.groups.inventory,
    DECISION_GROUP: topology.groups.decision,
    FULFILLMENT_GROUP: topology.groups.fulfillment,
    SINK_GROUP: topology.groups.sink,
    // The first decision instance's state file, by the supervisor's convention (<workDir>/state/<id>.json);
    // a state-corruption runbook deletes it while the agent is stopped.
    DECISION_STATE_FILE: path.join(workDir, 'state', 'decision-1.json'),
  };
}

/**
 * The environment every runbook step runs with: what on-call would have exported in their shell
 * (bootstrap servers, URLs, topic and group names), with `agentdrill` and the real Kafka tools on
 * PATH, so steps are written exactly as on call.
 */
export async function buildStepEnvironment(args: {
  settings: Settings;
  workDir: string;
  infra: StartedInfra;
  controlUrl: string;
  drillId: string;
  /** The fleet's own names (referenceVariables or fleetFileVariables). */
  fleetVariables: Record<string, string>;
  runbookEnv?: Record<string, string>;
}): Promise<NodeJS.ProcessEnv> {
  const binDir = path.join(args.workDir, 'step-bin');
  await mkdir(binDir, { recursive: true });
  const cli = path.join(args.settings.packageRoot, 'bin', 'agentdrill.mjs');
  const wrapper = path.join(binDir, 'agentdrill');
  await writeFile(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
  await chmod(wrapper, 0o755);
  const pathParts = [binDir, args.infra.kafka.toolsBinDir, process.env.PATH].filter((p): p is string => Boolean(p));
  return {
    ...process.env,
    // The runbook's own bindings (front matter `env:`) first: the drill's live values must win.
    ...args.runbookEnv,
    PATH: pathParts.join(':'),
    AGENTDRILL_CONTROL_URL: args.controlUrl,
    AGENTDRILL_DRILL_ID: args.drillId,
    KAFKA_BOOTSTRAP_SERVERS: args.infra.kafka.bootstrapServers.join(','),
    TOXIPROXY_URL: args.infra.toxiproxy.apiUrl,
    ...args.fleetVariables,
  };
}
