import type { z } from 'zod';
import { compileEventTemplate } from '../../load/event-template.ts';
import { stampJsonField } from '../../load/stamp.ts';
import { nonEnvReferences } from '../release/agent-version.ts';
import { checkTemplate, type DeclaredNames, type TemplateScope } from './references.ts';
import type { ParsedFleet } from './schema.ts';

type Ctx = z.RefinementCtx;

/**
 * Checks between fields that each passed on their own: every name an agent, the load or a
 * template uses is declared, and every group has exactly one agent. All problems are added, so
 * one `validate` shows them all, each at its own line.
 */
export function crossCheck(fleet: ParsedFleet, ctx: Ctx): void {
  const topics = Object.keys(fleet.topics);
  const add = (path: PropertyKey[], message: string, hint: string, column?: number) =>
    ctx.addIssue({ code: 'custom', path, message, params: { hint, ...(column !== undefined ? { column } : {}) } });
  const topicHint = (name: string) => `declared topics: ${topics.join(', ')}; add "${name}:" under topics:, or use one of them`;

  const groupOwners = new Map<string, string>();
  for (const [name, agent] of Object.entries(fleet.agents)) {
    const at = ['agents', name];
    if (!agent.command && !agent.image) {
      add(at, `agent "${name}" has neither a command nor an image`, 'add command: { argv: [...] } to run it as a process, image: <name:tag> to run it as a container, or both');
    }
    if (agent.consumes) {
      if (!topics.includes(agent.consumes.topic)) add([...at, 'consumes', 'topic'], `agent "${name}" consumes an undeclared topic "${agent.consumes.topic}"`, topicHint(agent.consumes.topic));
      const group = agent.consumes.group ?? name;
      const owner = groupOwners.get(group);
      if (owner) add([...at, 'consumes'], `agents "${owner}" and "${name}" both consume in group "${group}"`, 'give each agent its own group (consumes.group); replicas of one agent share it');
      groupOwners.set(group, name);
    }
    agent.produces.forEach((t, i) => {
      if (!topics.includes(t)) add([...at, 'produces', i], `agent "${name}" produces to an undeclared topic "${t}"`, topicHint(t));
    });
    if (agent.build && !agent.image) add([...at, 'build'], `agent "${name}" has build: but no image: to tag it`, 'add image: <name:tag>, the tag the build produces and the drill runs');
    if (agent.health && 'group' in agent.health && !agent.consumes) {
      add([...at, 'health'], `agent "${name}" has health { group: true } but consumes no topic`, 'declare consumes: { topic, group }, or check health by http or tcp');
    }
  }
  if (!topics.includes(fleet.load.topic)) add(['load', 'topic'], `the load goes to an undeclared topic "${fleet.load.topic}"`, topicHint(fleet.load.topic));
  if (fleet.integrity) {
    const { topic, match } = fleet.integrity;
    if (!topics.includes(topic)) add(['integrity', 'topic'], `integrity reads an undeclared topic "${topic}"`, topicHint(topic));
    if ('header' in match && match.header !== fleet.load.stamp.header) {
      add(['integrity', 'match', 'header'], `integrity matches header "${match.header}" but the load stamps "${fleet.load.stamp.header}"`, `use the same name in both, e.g. header: ${fleet.load.stamp.header}`);
    }
    if ('key' in match && !fleet.load.stamp.key) add(['integrity', 'match'], 'integrity matches on the key but the load does not stamp the key', 'add stamp: { key: true } under load:');
    if ('field' in match && match.field !== fleet.load.stamp.field) {
      add(['integrity', 'match', 'field'], `integrity matches field "${match.field}" but the load stamps ${fleet.load.stamp.field ? `"${fleet.load.stamp.field}"` : 'no field'}`, `add stamp: { field: ${match.field} } under load:`);
    }
  }

  checkLoadTemplates(fleet, add);

  const names: DeclaredNames = { topics, groups: [...groupOwners.keys()], dependencies: Object.keys(fleet.dependencies) };
  const templates = (path: PropertyKey[], value: string | undefined, scope: TemplateScope) => {
    if (value === undefined) return;
    for (const p of checkTemplate(value, scope, names)) add(path, p.message, p.hint, p.column);
  };
  const commandTemplates = (path: PropertyKey[], command: { argv: string[]; cwd?: string; env: Record<string, string> } | undefined, scope: TemplateScope) => {
    if (!command) return;
    command.argv.forEach((a, i) => templates([...path, 'argv', i], a, scope));
    templates([...path, 'cwd'], command.cwd, scope);
    for (const [key, value] of Object.entries(command.env)) templates([...path, 'env', key], value, scope);
  };
  for (const [name, agent] of Object.entries(fleet.agents)) {
    const at = ['agents', name];
    commandTemplates([...at, 'command'], agent.command, 'agent');
    templates([...at, 'image'], agent.image, 'agent');
    for (const [key, value] of Object.entries(agent.env)) templates([...at, 'env', key], value, 'agent');
    templates([...at, 'build', 'context'], agent.build?.context, 'build');
    for (const [key, value] of Object.entries(agent.build?.args ?? {})) templates([...at, 'build', 'args', key], value, 'build');
    if (agent.version !== undefined) {
      // Known before anything starts, so nothing an instance or the drill provides can fill it.
      const others = nonEnvReferences(agent.version);
      for (const r of others) add([...at, 'version'], `"\${${r.ref}}" is not known in version: only \${env.NAME} is`, 'write the version itself, or ${env.NAME:-fallback} for the one CI passes', r.column);
      if (others.length === 0) templates([...at, 'version'], agent.version, 'agent');
    }
    if (agent.health && 'http' in agent.health) templates([...at, 'health', 'http'], agent.health.http, 'agent');
    if (agent.health && 'tcp' in agent.health) templates([...at, 'health', 'tcp'], agent.health.tcp, 'agent');
    templates([...at, 'metrics', 'url'], agent.metrics?.url, 'agent');
    templates([...at, 'admin', 'url'], agent.admin?.url, 'agent');
    if (agent.state) templates([...at, 'state', 'file' in agent.state ? 'file' : 'dir'], 'file' in agent.state ? agent.state.file : agent.state.dir, 'agent');
    commandTemplates([...at, 'state', 'verify'], agent.state?.verify, 'agent');
    if (agent.heap === undefined) {
      for (const path of heapReferences(agent)) add([...at, ...path], `"\${instance.heapMb}" has no value: agent "${name}" declares no heap:`, `add heap: 512MB to agents.${name} (the limit its runtime is given), or write the limit itself`);
    }
  }
  for (const [name, dep] of Object.entries(fleet.dependencies)) commandTemplates(['dependencies', name, 'command'], dep.command, 'dependency');
}

/** Where an agent's command, environment or state check names `${instance.heapMb}`. */
function heapReferences(agent: ParsedFleet['agents'][string]): PropertyKey[][] {
  const uses = (v: string) => /(^|[^$])\$\{instance\.heapMb\}/.test(v);
  const paths: PropertyKey[][] = [];
  const command = (base: PropertyKey[], c: { argv: string[]; env: Record<string, string> } | undefined) => {
    c?.argv.forEach((a, i) => uses(a) && paths.push([...base, 'argv', i]));
    for (const [k, v] of Object.entries(c?.env ?? {})) if (uses(v)) paths.push([...base, 'env', k]);
  };
  command(['command'], agent.command);
  for (const [k, v] of Object.entries(agent.env)) if (uses(v)) paths.push(['env', k]);
  command(['state', 'verify'], agent.state?.verify);
  return paths;
}

/** The load's per-event templates compile, and a value that must carry a stamp field is a JSON object. */
function checkLoadTemplates(fleet: ParsedFleet, add: (path: PropertyKey[], message: string, hint: string, column?: number) => void): void {
  const { load } = fleet;
  const compiled = (path: PropertyKey[], text: string | undefined) => {
    if (text === undefined) return undefined;
    const result = compileEventTemplate(text);
    if (!result.ok) add(path, result.error.message, result.error.hint, result.error.column);
    return result.ok ? result.render : undefined;
  };
  compiled(['load', 'key'], load.key);
  if (!('template' in load.value)) return;
  const render = compiled(['load', 'value', 'template'], load.value.template);
  if (render && load.stamp.field && stampJsonField(render(1, 0), load.stamp.field, 'x') === undefined) {
    add(['load', 'value', 'template'], `the value is not a JSON object, so it cannot carry stamp.field "${load.stamp.field}"`, `make the template a JSON object, e.g. '{"id": {{seq}}}', or drop stamp.field (first event: ${render(1, 0).slice(0, 80)})`);
  }
}
