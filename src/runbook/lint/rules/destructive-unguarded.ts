import { allBlocks } from '../blocks.ts';
import { effectiveWords, scanShell } from '../shell.ts';
import type { LintRule, RuleFinding } from '../types.ts';

/** What a command destroys, or undefined when it is safe to run without asking. */
export function destructiveAction(words: readonly string[]): string | undefined {
  const [name = '', ...args] = words;
  const tool = name.replace(/\.sh$/, '').split('/').pop()!;
  const has = (...flags: string[]) => args.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
  if (tool === 'kafka-consumer-groups') {
    if (has('--reset-offsets') && has('--execute')) return 'resets consumer group offsets';
    if (has('--delete', '--delete-offsets')) return 'deletes a consumer group or its offsets';
  }
  if (tool === 'kafka-topics' && has('--delete')) return 'deletes a topic';
  if (tool === 'rm' && args.some((a) => /^-[a-zA-Z]*r/i.test(a) || a === '--recursive') && args.some((a) => /^-[a-zA-Z]*f/.test(a) || a === '--force')) return 'removes files recursively (rm -rf)';
  if (['kill', 'pkill', 'killall'].includes(tool)) return 'kills processes';
  if (tool === 'agentdrill' && args[0] === 'ctl' && args[1] === 'kill') return 'kills agent instances';
  if (tool === 'agentdrill' && args[0] === 'ctl' && args[1] === 'scale' && /^0+$/.test(args[3] ?? '')) return 'scales an agent to zero';
  if (args.some((a) => /^--replicas=0+$/.test(a)) || args.some((a, i) => a === '--replicas' && /^0+$/.test(args[i + 1] ?? ''))) return 'scales to zero';
  const verb = args.slice(0, 4).find((a) => ['delete', 'destroy', 'purge', 'drop', 'uninstall', 'truncate'].includes(a.toLowerCase()));
  if (verb) return `runs "${name} ${verb}"`;
  return undefined;
}

export const destructiveUnguarded: LintRule = {
  id: 'destructive-unguarded',
  severity: 'error',
  description: 'a destructive command (offset reset with --execute, delete, kill, rm -rf, scale to zero) has no guard attribute',
  check(runbook) {
    const findings: RuleFinding[] = [];
    for (const { block, where } of allBlocks(runbook)) {
      if (block.command === undefined || block.lang === 'check') continue;
      const guard = block.attributes.guard;
      if (typeof guard === 'string' && guard.trim()) continue;
      for (const command of scanShell(block.command).commands) {
        const words = effectiveWords(command.words);
        const action = destructiveAction(words.map((w) => w.text));
        if (!action) continue;
        const first = words[0]!;
        const origin = block.sourceMap[first.line];
        findings.push({
          line: origin?.line ?? block.line,
          column: origin ? origin.column + first.column : 1,
          message: `step "${block.name}" (${where}) ${action} without a guard`,
          hint:
            guard === true
              ? 'write what on-call must confirm first: { guard="lag is not draining after scale-out" }'
              : `add a guard to the fence: \`\`\`${block.lang} { name=${block.name} guard="<what must be true first>" }`,
        });
      }
    }
    return findings;
  },
};
