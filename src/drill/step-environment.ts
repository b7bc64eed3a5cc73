import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../core/settings.ts';
import type { FleetTopology } from '../fleet/types.ts';
import type { StartedInfra } from '../infra/provider.ts';

/** The variables the drill sets for every step (beyond the user's own); `validate` treats them as bound. */
export const drillEnvironmentNames = [
  'PATH',
  'AGENTDRILL_CONTROL_URL',
  'AGENTDRILL_DRILL_ID',
  'KAFKA_BOOTSTRAP_SERVERS',
  'TOXIPROXY_URL',
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

/**
 * The environment every runbook step runs with: what on-call would have exported in their shell
 * (bootstrap servers, URLs, topic and group names), with `agentdrill` and the real Kafka tools on
 * PATH, so steps are written exactly as on call.
 */
export async function buildStepEnvironment(args: {
  settings: Settings;
  workDir: string;
  infra: StartedInfra;
  topology: FleetTopology;
  controlUrl: string;
  inventoryApiUrl: string;
  drillId: string;
  runbookEnv?: Record<string, string>;
}): Promise<NodeJS.ProcessEnv> {
  const binDir = path.join(args.workDir, 'step-bin');
  await mkdir(binDir, { recursive: true });
  const cli = path.join(args.settings.packageRoot, 'bin', 'agentdrill.mjs');
  const wrapper = path.join(binDir, 'agentdrill');
  await writeFile(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
  await chmod(wrapper, 0o755);
  const { topology } = args;
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
    INVENTORY_API_URL: args.inventoryApiUrl,
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
    DECISION_STATE_FILE: path.join(args.workDir, 'state', 'decision-1.json'),
  };
}
