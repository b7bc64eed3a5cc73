import type { Problem } from '../../core/errors.ts';
import { closest } from '../../detect/suggest.ts';
import type { SetOverride } from './set-flag.ts';

/** Problems of a `--set` are reported under the flag, not at a line of a file it never was in. */
export function setProblem(o: SetOverride, message: string, hint?: string): Problem {
  return { file: '--set', message: `"${o.path}=${o.written}": ${message}`, ...(hint ? { hint } : {}) };
}

/** The override whose value sits at (or above) this path of the fleet file, if any. */
export function overrideAt(overrides: readonly SetOverride[], path: readonly PropertyKey[]): SetOverride | undefined {
  return overrides.find((o) => o.keys.length <= path.length && o.keys.every((k, i) => String(path[i]) === k));
}

/**
 * The fleet file's parsed YAML with every `--set` written in, before the file is validated: the
 * values then pass the same checks (templates, cross-checks) as if the file said them. An agent
 * the file does not declare is a problem here, named with the flag; so is an environment for an
 * agent without a command. A file too broken to take a value (no `agents:` mapping) is left to
 * the file's own problems.
 */
export function applyOverrides(data: unknown, overrides: readonly SetOverride[], fleetName = 'the fleet'): { data: unknown; problems: Problem[] } {
  if (overrides.length === 0 || !isMapping(data)) return { data, problems: [] };
  const copy = structuredClone(data);
  const problems: Problem[] = [];
  for (const o of overrides) {
    const [root, agentName, ...rest] = o.keys;
    if (root === 'load') {
      if (isMapping(copy.load)) copy.load.rate = o.value;
      continue;
    }
    if (root === 'topics') {
      if (!isMapping(copy.topics)) continue;
      const topics = copy.topics;
      if (!Object.hasOwn(topics, agentName!)) {
        const declared = Object.keys(topics);
        const guess = closest(agentName!, declared);
        problems.push(setProblem(o, `${fleetName} has no topic "${agentName}"`, `topics: ${declared.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`));
        continue;
      }
      // `orders:` alone is a topic with the defaults: it becomes a mapping to take the value.
      const topic = topics[agentName!] ?? (topics[agentName!] = {});
      if (isMapping(topic)) topic.partitions = o.value;
      continue;
    }
    if (!isMapping(copy.agents)) continue;
    const agents = copy.agents;
    const declared = Object.keys(agents);
    const agent = Object.hasOwn(agents, agentName!) ? agents[agentName!] : undefined;
    if (!isMapping(agent)) {
      if (agent === undefined) {
        const guess = closest(agentName!, declared);
        problems.push(setProblem(o, `${fleetName} has no agent "${agentName}"`, `agents: ${declared.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`));
      }
      continue;
    }
    if (rest[0] !== 'command') {
      agent[rest[0]!] = o.value;
      continue;
    }
    if (!isMapping(agent.command)) {
      problems.push(setProblem(o, `agent "${agentName}" has no command, so it has no environment to set`, `set agents.${agentName}.image, or give it command: { argv: [...] } in the fleet file`));
      continue;
    }
    const env = agent.command.env ?? (agent.command.env = {});
    if (isMapping(env)) env[rest[2]!] = o.value;
  }
  return { data: copy, problems };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
