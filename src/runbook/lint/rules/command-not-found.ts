import { drillCommands } from '../context.ts';
import { shellSources } from '../blocks.ts';
import { effectiveWords } from '../shell.ts';
import type { LintRule, RuleFinding } from '../types.ts';

/** Shell builtins and keywords: always there. */
const builtins = new Set(
  ('. : [ [[ ]] alias bg break builtin cd command continue declare dirs disown echo enable eval exec exit export false fc fg ' +
    'getopts hash help history jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly return set shift ' +
    'shopt source suspend test times trap true type typeset ulimit umask unalias unset wait then else elif fi do done esac in')
    .split(' '),
);

export const commandNotFound: LintRule = {
  id: 'command-not-found',
  severity: 'error',
  description: "a step runs a command that is not on the drill environment's PATH",
  check(runbook, context) {
    const findings: RuleFinding[] = [];
    for (const source of shellSources(runbook)) {
      if (source.inline) continue;
      for (const command of source.scan.commands) {
        // `sudo kubectl ...` needs both sudo and kubectl.
        const names = new Set([command.words[0], effectiveWords(command.words)[0]]);
        for (const name of names) {
          const text = name?.text;
          // Paths are the missing-file rule's; expansions are only known when the step runs.
          if (!name || !text || text.includes('/') || /[$`*?]/.test(text) || builtins.has(text) || source.scan.functions.has(text)) continue;
          if (context.commandExists(text)) continue;
          const bare = text.replace(/\.sh$/, '');
          const hint = drillCommands.includes(bare)
            ? `the drill puts ${bare} (without .sh) on PATH; write ${bare}`
            : `install ${text} where drills and on-call run, or use a command the drill provides (${drillCommands.join(', ')})`;
          findings.push({ ...source.position(name), message: `command "${text}" (${source.placed.where}) is not on PATH`, hint });
        }
      }
    }
    return findings;
  },
};
