import { closest } from '../../detect/suggest.ts';
import { parseTemplate, type TemplateRef } from './templates.ts';

/** What a fleet file declares, as far as templates can name it. */
export interface DeclaredNames {
  topics: string[];
  /** Consumer groups some agent consumes in. */
  groups: string[];
  dependencies: string[];
}

/**
 * Where a string sits: an agent's command sees `agent.*` and `instance.*`, a stand-in's sees
 * `dependency.*`, an image build (once per drill, before any instance) neither.
 */
export type TemplateScope = 'agent' | 'dependency' | 'build';

const fixed: Record<TemplateScope, string[]> = {
  agent: ['kafka.bootstrap', 'fleet.dir', 'agent.name', 'agent.stateDir', 'instance.id', 'instance.index', 'instance.port', 'instance.heapMb'],
  dependency: ['kafka.bootstrap', 'fleet.dir', 'dependency.host', 'dependency.port'],
  build: ['kafka.bootstrap', 'fleet.dir'],
};
const depFields = ['url', 'host', 'port'];

export interface RefProblem {
  column: number;
  message: string;
  hint: string;
}

/** Every reference in `value` checked against the fleet's names; one problem per bad reference. */
export function checkTemplate(value: string, scope: TemplateScope, names: DeclaredNames): RefProblem[] {
  const parsed = parseTemplate(value);
  const problems = parsed.parts.flatMap((p) => ('ref' in p ? checkRef(p, scope, names) : []));
  if (parsed.unclosed !== undefined) {
    problems.push({ column: parsed.unclosed, message: '"${" is not closed by "}"', hint: 'close the reference, e.g. ${kafka.bootstrap}; write $${ for a literal ${' });
  }
  return problems;
}

function checkRef(ref: TemplateRef, scope: TemplateScope, names: DeclaredNames): RefProblem[] {
  const [root = '', ...rest] = ref.ref.split('.');
  const problem = (message: string, hint: string): RefProblem[] => [{ column: ref.column, message, hint }];
  if (ref.fallback !== undefined && root !== 'env') {
    return problem(`"\${${ref.ref}:-...}": only env references take a fallback`, 'drop the ":-..." part');
  }
  switch (root) {
    case 'env':
      return rest.length === 1 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(rest[0]!)
        ? []
        : problem(`"\${${ref.ref}}" is not an environment reference`, 'write ${env.NAME} or ${env.NAME:-fallback}');
    case 'topics':
      return named('topic', 'topics', rest, names.topics, problem);
    case 'groups':
      return named('group', 'groups', rest, names.groups, problem, 'a group exists when an agent declares consumes: { topic, group }');
    case 'deps': {
      if (rest.length !== 2 || !depFields.includes(rest[1]!)) {
        return problem(`"\${${ref.ref}}" names no dependency field`, `write \${deps.<name>.url}, .host or .port${names.dependencies[0] ? `, e.g. \${deps.${names.dependencies[0]}.url}` : ''}`);
      }
      return named('dependency', 'deps', rest.slice(0, 1), names.dependencies, problem, undefined, `.${rest[1]}`);
    }
    default: {
      const allowed = fixed[scope];
      if (allowed.includes(ref.ref)) return [];
      const other = scope === 'agent' ? 'dependency' : 'agent';
      if (fixed[other].includes(ref.ref)) return problem(`"\${${ref.ref}}" is only known in ${other === 'agent' ? "an agent's" : "a dependency's"} command`, `here you can use ${allowed.map((a) => `\${${a}}`).join(', ')}`);
      if (scope === 'build' && fixed.dependency.includes(ref.ref)) return problem(`"\${${ref.ref}}" is only known in a dependency's command`, `here you can use ${allowed.map((a) => `\${${a}}`).join(', ')}`);
      const guess = closest(ref.ref, [...allowed, 'topics.', 'groups.', 'deps.', 'env.']);
      return problem(`unknown reference "\${${ref.ref}}"`, `known here: ${allowed.map((a) => `\${${a}}`).join(', ')}, \${topics.<name>}, \${groups.<name>}, \${deps.<name>.url}, \${env.NAME}${guess ? ` (did you mean \${${guess}}?)` : ''}`);
    }
  }
}

function named(
  kind: string,
  root: string,
  rest: string[],
  declared: string[],
  problem: (message: string, hint: string) => RefProblem[],
  why?: string,
  suffix = '',
): RefProblem[] {
  if (rest.length !== 1) return problem(`"\${${root}.${rest.join('.')}${suffix}}" is not a ${kind} reference`, `write \${${root}.<name>${suffix}}`);
  const name = rest[0]!;
  if (declared.includes(name)) return [];
  const guess = closest(name, declared);
  const listed = declared.length ? `declared ${kind === 'dependency' ? 'dependencies' : `${kind}s`}: ${declared.join(', ')}` : `the fleet declares no ${kind}`;
  return problem(`"\${${root}.${name}${suffix}}" names an unknown ${kind} "${name}"`, `${listed}${guess ? ` (did you mean "${guess}"?)` : ''}${why ? `; ${why}` : ''}`);
}
