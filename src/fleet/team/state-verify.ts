import type { ResolvedCommand } from '../definition/resolve.ts';
import { inheritedEnvironment } from '../process-launcher.ts';
import { runBounded } from '../run-bounded.ts';
import type { StateCheck } from '../types.ts';

/** A replay of a long log takes a while on a busy machine; a check that never ends is a failed check. */
export const stateVerifyTimeoutMs = 120_000;

/** Runs the team's state check for one instance: exit 0 means its state agrees with the log. */
export async function runStateVerify(instanceId: string, command: ResolvedCommand, timeoutMs = stateVerifyTimeoutMs): Promise<StateCheck> {
  const run = await runBounded(command.argv, { cwd: command.cwd, env: { ...inheritedEnvironment(), ...command.env }, timeoutMs });
  const output = run.error ?? run.output;
  const figures = figuresLine(output);
  return {
    instanceId,
    matches: run.exitCode === 0 && !run.timedOut,
    exitCode: run.exitCode,
    output: figures ? output.slice(0, output.lastIndexOf(figures.line)).trimEnd() : output,
    ...(figures ? { figures: figures.values } : {}),
    ...(run.timedOut ? { timedOut: true } : {}),
  };
}

/**
 * A check's own figures: its last line, when that is a JSON object of numbers, strings and
 * booleans (`{"skusDiffering": 0, "logEvents": 5120}`), goes into the drill's assessment as
 * such; any other last line is just output.
 */
function figuresLine(output: string): { line: string; values: Record<string, number | string | boolean> } | undefined {
  const line = output.trimEnd().split('\n').at(-1)?.trim() ?? '';
  if (!line.startsWith('{') || line.length > 4096) return undefined;
  try {
    const parsed = JSON.parse(line) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const entries = Object.entries(parsed).filter((e): e is [string, number | string | boolean] => ['number', 'string', 'boolean'].includes(typeof e[1]));
    return entries.length > 0 ? { line, values: Object.fromEntries(entries.slice(0, 32)) } : undefined;
  } catch {
    return undefined;
  }
}
