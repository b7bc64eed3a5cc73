import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../core/settings.ts';
import type { FleetDefinition } from '../fleet/definition/schema.ts';
import type { FleetTopology } from '../fleet/types.ts';
import type { StartedInfra } from '../infra/provider.ts';
import { ctlOriginEnv } from './control-origin.ts';

/** Set for every step of every drill. */
export const commonNames = ['PATH', 'AGENTDRILL_CONTROL_URL', 'AGENTDRILL_DRILL_ID', 'KAFKA_BOOTSTRAP_SERVERS', 'TOXIPROXY_URL', 'AGENTDRILL_CTL_ORIGIN'] as const;

/** Set for every step of a drill under --provider kubernetes, with `kubectl` of the cluster's release on PATH. */
export const kubernetesNames = ['KUBECONFIG', 'AGENTDRILL_NAMESPACE'] as const;

/** `fraud-api` → `FRAUD_API`: how a fleet file's names appear in a step's environment. */
export function envNameOf(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/**
 * A fleet file's names as steps see them, in one pattern for every fleet: each topic
 * as `<TOPIC>_TOPIC`, each group as `<GROUP>_GROUP`, each dependency's proxied address as `<DEP>_URL`.
 */
export function fleetFileEnvironmentNames(fleet: FleetDefinition): string[] {
  const groups = Object.values(fleet.agents).flatMap((a) => (a.group ? [a.group] : []));
  return [
    ...commonNames,
    ...Object.keys(fleet.topics).map((t) => `${envNameOf(t)}_TOPIC`),
    ...groups.map((g) => `${envNameOf(g)}_GROUP`),
    ...Object.keys(fleet.dependencies).map((d) => `${envNameOf(d)}_URL`),
    ...Object.values(fleet.agents).flatMap((a) => (a.state ? [`${envNameOf(a.name)}_STATE_${'file' in a.state ? 'FILE' : 'DIR'}`] : [])),
  ];
}

/** The values of fleetFileEnvironmentNames for one drill. */
export function fleetFileVariables(topology: FleetTopology, dependencyUrls: Record<string, string>, statePaths: Record<string, { file?: string; dir?: string }> = {}): Record<string, string> {
  const vars: Record<string, string> = {};
  // The first instance's, as a StatefulSet's pod-0: a runbook reaches the others with ctl exec.
  for (const [agent, state] of Object.entries(statePaths)) {
    if (state.file) vars[`${envNameOf(agent)}_STATE_FILE`] = state.file;
    if (state.dir) vars[`${envNameOf(agent)}_STATE_DIR`] = state.dir;
  }
  for (const [name, real] of Object.entries(topology.topics)) vars[`${envNameOf(name)}_TOPIC`] = real;
  for (const [name, real] of Object.entries(topology.groups)) vars[`${envNameOf(name)}_GROUP`] = real;
  for (const [name, url] of Object.entries(dependencyUrls)) vars[`${envNameOf(name)}_URL`] = url;
  return vars;
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
  const platform = args.infra.stepEnvironment;
  const pathParts = [binDir, args.infra.kafka.toolsBinDir, ...(platform?.path ?? []), process.env.PATH].filter((p): p is string => Boolean(p));
  return {
    ...process.env,
    // The runbook's own bindings (front matter `env:`) first: the drill's live values must win.
    ...args.runbookEnv,
    PATH: pathParts.join(':'),
    AGENTDRILL_CONTROL_URL: args.controlUrl,
    [ctlOriginEnv]: 'step',
    AGENTDRILL_DRILL_ID: args.drillId,
    KAFKA_BOOTSTRAP_SERVERS: args.infra.kafka.bootstrapServers.join(','),
    TOXIPROXY_URL: args.infra.toxiproxy.apiUrl,
    ...platform?.env,
    ...args.fleetVariables,
  };
}
