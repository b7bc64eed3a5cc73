import type { ResolvedCommand } from '../definition/resolve.ts';
import { inheritedEnvironment } from '../process-launcher.ts';
import { runBounded } from '../run-bounded.ts';
import type { StateCheck } from '../types.ts';

/** A replay of a long log takes a while on a busy machine; a check that never ends is a failed check. */
export const stateVerifyTimeoutMs = 120_000;

/** Runs the team's state check for one instance: exit 0 means its state agrees with the log. */
export async function runStateVerify(instanceId: string, command: ResolvedCommand, timeoutMs = stateVerifyTimeoutMs): Promise<StateCheck> {
  const run = await runBounded(command.argv, { cwd: command.cwd, env: { ...inheritedEnvironment(), ...command.env }, timeoutMs });
  return {
    instanceId,
    matches: run.exitCode === 0 && !run.timedOut,
    exitCode: run.exitCode,
    output: run.error ?? run.output,
    ...(run.timedOut ? { timedOut: true } : {}),
  };
}
