import path from 'node:path';
import { findExecutable, isExecutableFile } from '../../infra/local/host-tools.ts';
import { templateRefs } from './templates.ts';
import type { FleetConfig } from './schema.ts';

export interface CommandProblem {
  path: PropertyKey[];
  message: string;
  hint: string;
}

/**
 * Each command's program must exist before anything starts: on PATH for a bare name, or as an
 * executable file relative to the command's folder. A path a `setup:` step may build is left
 * for after setup (`deferred`), and a program named by a template is known only at start.
 */
export function checkCommands(fleet: FleetConfig, dir: string, env: NodeJS.ProcessEnv = process.env): { problems: CommandProblem[]; deferred: string[] } {
  const problems: CommandProblem[] = [];
  const deferred: string[] = [];
  const check = (at: PropertyKey[], command: { argv: string[]; cwd?: string } | undefined) => {
    const program = command?.argv[0];
    if (program === undefined || templateRefs(program).length > 0 || (command!.cwd !== undefined && templateRefs(command!.cwd).length > 0)) return;
    const cwd = path.resolve(dir, command!.cwd ?? '.');
    if (!program.includes('/')) {
      if (!findExecutable(program, env)) problems.push({ path: [...at, 'argv', 0], message: `"${program}" is not on PATH`, hint: `install it, or write its path (relative to ${cwd})` });
      return;
    }
    const file = path.resolve(cwd, program);
    if (isExecutableFile(file)) return;
    if (fleet.setup.length > 0 && !path.isAbsolute(program)) {
      deferred.push(file);
      return;
    }
    problems.push({ path: [...at, 'argv', 0], message: `"${program}" is not an executable file (looked for ${file})`, hint: 'check the path (relative to the command\'s cwd, itself relative to the fleet file), or chmod +x it' });
  };
  for (const [name, agent] of Object.entries(fleet.agents)) {
    check(['agents', name, 'command'], agent.command);
    check(['agents', name, 'state', 'verify'], agent.state?.verify);
  }
  for (const [name, dep] of Object.entries(fleet.dependencies)) check(['dependencies', name, 'command'], dep.command);
  fleet.setup.forEach((step, i) => check(['setup', i], step));
  return { problems, deferred };
}
