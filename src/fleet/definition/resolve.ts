import path from 'node:path';
import { AgentdrillError } from '../../core/errors.ts';
import type { FleetDefinition } from './schema.ts';
import { renderTemplate, type TemplateRef } from './templates.ts';

/** What is known once the drill's broker and proxies are up. */
export interface DrillAddresses {
  /** Prepended to every topic and group name, so drills sharing a broker never meet. */
  prefix: string;
  bootstrap: string;
  /** Dependency → its Toxiproxy proxy as the agents dial it. */
  deps: Record<string, { host: string; port: number }>;
  env: NodeJS.ProcessEnv;
}

export interface InstanceSlot {
  id: string;
  index: number;
  port: number;
  stateDir: string;
  /** The heap limit this start runs with (the agent's `heap:`, or `ctl restart --heap`). */
  heapMb?: number;
}

export interface ResolvedCommand {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

/** The drill's real names: `<prefix><production name>` for topics, `<prefix><group>` for groups. */
export function drillNames(fleet: FleetDefinition, prefix: string): { topics: Record<string, string>; groups: Record<string, string> } {
  const topics = Object.fromEntries(Object.entries(fleet.topics).map(([key, t]) => [key, `${prefix}${t.name}`]));
  const groups: Record<string, string> = {};
  for (const agent of Object.values(fleet.agents)) if (agent.group) groups[agent.group] = `${prefix}${agent.group}`;
  return { topics, groups };
}

/**
 * One instance's command with every `${...}` filled. The file was checked at load, so only an
 * unset `${env.NAME}` without a fallback can still be missing: that is an error naming the
 * variable, before the instance starts, never an agent started with an empty setting.
 */
export function resolveAgentCommand(fleet: FleetDefinition, agentName: string, slot: InstanceSlot, at: DrillAddresses): ResolvedCommand {
  const agent = fleet.agents[agentName];
  if (!agent?.command) throw new AgentdrillError('FLEET_FAILED', `agent "${agentName}" has no command to run`, { hint: 'add command: { argv: [...] } to it in the fleet file, or run it under --provider docker with an image' });
  // The agent-level env is what process and container share; the command's own adds to it.
  const command = { ...agent.command, env: { ...agent.env, ...agent.command.env } };
  return resolveCommand(fleet, command, instanceRefs(agentName, slot), at, `agents.${agentName}`);
}

/** One instance as a container: its image and environment (the command's too, when it has one), every `${...}` filled. */
export function resolveAgentContainer(fleet: FleetDefinition, agentName: string, slot: InstanceSlot, at: DrillAddresses): { image: string; env: Record<string, string> } {
  const agent = fleet.agents[agentName];
  if (!agent?.image) throw new AgentdrillError('FLEET_FAILED', `agent "${agentName}" has no image to run`, { hint: 'add image: <name:tag> to it in the fleet file, or run it as a process (--provider local)' });
  const own = instanceRefs(agentName, slot);
  const lookup = lookupFor(fleet, own, at);
  const where = `agents.${agentName}`;
  const env = Object.fromEntries(Object.entries({ ...agent.env, ...agent.command?.env }).map(([k, v]) => [k, fill(v, lookup, `${where}.env.${k}`, fleet.file)]));
  return { image: fill(agent.image, lookup, `${where}.image`, fleet.file), env };
}

/** The agent's `build:` with its context made absolute and its args filled: what `docker build` gets. */
export function resolveAgentBuild(fleet: FleetDefinition, agentName: string, at: DrillAddresses): { context: string; dockerfile?: string; args: Record<string, string> } | undefined {
  const build = fleet.agents[agentName]?.build;
  if (!build) return undefined;
  const lookup = lookupFor(fleet, {}, at);
  const where = `agents.${agentName}.build`;
  const context = path.resolve(fleet.dir, fill(build.context, lookup, `${where}.context`, fleet.file));
  return {
    context,
    ...(build.dockerfile ? { dockerfile: path.resolve(context, fill(build.dockerfile, lookup, `${where}.dockerfile`, fleet.file)) } : {}),
    args: Object.fromEntries(Object.entries(build.args).map(([k, v]) => [k, fill(v, lookup, `${where}.args.${k}`, fleet.file)])),
  };
}

/** Where one instance keeps its declared state (`state: { file }` or `{ dir }`), filled like its command. */
export function resolveAgentState(fleet: FleetDefinition, agentName: string, slot: InstanceSlot, at: DrillAddresses): { file?: string; dir?: string } | undefined {
  const state = fleet.agents[agentName]?.state;
  if (!state) return undefined;
  const own = instanceRefs(agentName, slot);
  const where = `agents.${agentName}.state`;
  const absolute = (value: string) => path.resolve(fleet.dir, fill(value, lookupFor(fleet, own, at), where, fleet.file));
  return 'file' in state ? { file: absolute(state.file) } : { dir: absolute(state.dir) };
}

/** The team's state check for one instance (`state.verify`), with the same references as its command. */
export function resolveStateVerify(fleet: FleetDefinition, agentName: string, slot: InstanceSlot, at: DrillAddresses): ResolvedCommand | undefined {
  const verify = fleet.agents[agentName]?.state?.verify;
  return verify ? resolveCommand(fleet, verify, instanceRefs(agentName, slot), at, `agents.${agentName}.state.verify`) : undefined;
}

function instanceRefs(agentName: string, slot: InstanceSlot): Record<string, string> {
  return {
    'agent.name': agentName,
    'agent.stateDir': slot.stateDir,
    'instance.id': slot.id,
    'instance.index': String(slot.index),
    'instance.port': String(slot.port),
    ...(slot.heapMb !== undefined ? { 'instance.heapMb': String(slot.heapMb) } : {}),
  };
}

/** A stand-in dependency's command, told where to listen. */
export function resolveDependencyCommand(fleet: FleetDefinition, depName: string, listen: { host: string; port: number }, at: DrillAddresses): ResolvedCommand {
  const command = fleet.dependencies[depName]?.command;
  if (!command) throw new AgentdrillError('FLEET_FAILED', `dependency "${depName}" has no command to start`);
  return resolveCommand(fleet, command, { 'dependency.host': listen.host, 'dependency.port': String(listen.port) }, at, `dependencies.${depName}`);
}

/** Any other templated value of an agent (health URL, metrics URL, state path, image). */
export function resolveValue(fleet: FleetDefinition, value: string, own: Record<string, string>, at: DrillAddresses, where: string): string {
  return fill(value, lookupFor(fleet, own, at), where, fleet.file);
}

function resolveCommand(fleet: FleetDefinition, command: { argv: string[]; cwd?: string; env: Record<string, string> }, own: Record<string, string>, at: DrillAddresses, where: string): ResolvedCommand {
  const lookup = lookupFor(fleet, own, at);
  const argv = command.argv.map((a) => fill(a, lookup, where, fleet.file));
  const cwd = path.resolve(fleet.dir, fill(command.cwd ?? '.', lookup, where, fleet.file));
  const env = Object.fromEntries(Object.entries(command.env).map(([k, v]) => [k, fill(v, lookup, `${where}.env.${k}`, fleet.file)]));
  return { argv, cwd, env };
}

function lookupFor(fleet: FleetDefinition, own: Record<string, string>, at: DrillAddresses): (ref: TemplateRef) => string | undefined {
  const { topics, groups } = drillNames(fleet, at.prefix);
  return (ref) => {
    const [root, name, field] = ref.ref.split('.');
    if (root === 'env') return at.env[name!] ?? ref.fallback;
    if (root === 'topics') return topics[name!];
    if (root === 'groups') return groups[name!];
    if (root === 'deps') {
      const dep = at.deps[name!];
      if (!dep) return undefined;
      const protocol = fleet.dependencies[name!]?.protocol ?? 'http';
      return field === 'host' ? dep.host : field === 'port' ? String(dep.port) : protocol === 'http' ? `http://${dep.host}:${dep.port}` : `${dep.host}:${dep.port}`;
    }
    if (ref.ref === 'kafka.bootstrap') return at.bootstrap;
    if (ref.ref === 'fleet.dir') return fleet.dir;
    return own[ref.ref];
  };
}

function fill(value: string, lookup: (ref: TemplateRef) => string | undefined, where: string, file: string): string {
  const { text, missing } = renderTemplate(value, lookup);
  if (missing.length === 0) return text;
  const names = missing.map((m) => `\${${m.ref}}`).join(', ');
  const envs = missing.filter((m) => m.ref.startsWith('env.')).map((m) => m.ref.slice(4));
  throw new AgentdrillError('FLEET_INVALID', `${where} in ${file} uses ${names}, which has no value in this drill`, {
    hint: envs.length ? `set ${envs.join(', ')} in the environment, or give a fallback: \${env.${envs[0]}:-value}` : 'this reference is not available here; see docs/fleet-format.md, "Templates"',
    context: { file, where, missing: missing.map((m) => m.ref) },
  });
}
