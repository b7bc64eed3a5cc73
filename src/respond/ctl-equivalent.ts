import { effectiveWords, scanShell } from '../runbook/lint/shell.ts';

export const ctlOps = ['status', 'scale', 'restart', 'stop', 'kill'] as const;
export type CtlOp = (typeof ctlOps)[number];

/** One fleet operation, however it was asked for: an MCP ctl tool, or a step that runs `agentdrill ctl`. */
export interface CtlAction {
  op: CtlOp;
  target: string | undefined;
  /** `scale` only: as written ("3", "+2"). */
  replicas?: string;
}

/**
 * The ctl operation a runbook step performs, when the step is exactly one `agentdrill ctl` call
 * (`agentdrill ctl scale inventory +2`). A step that does more is only itself: calling the same
 * operation directly then is not the step.
 */
export function ctlEquivalent(command: string | undefined): CtlAction | undefined {
  if (!command) return undefined;
  const commands = scanShell(command).commands.filter((c) => !c.nested);
  if (commands.length !== 1) return undefined;
  const words = effectiveWords(commands[0]!.words).map((w) => w.text);
  const [tool, sub, op, ...rest] = words;
  if (tool?.split('/').pop() !== 'agentdrill' || sub !== 'ctl' || !(ctlOps as readonly string[]).includes(op ?? '')) return undefined;
  const args = rest.filter((a) => !a.startsWith('-'));
  return { op: op as CtlOp, target: args[0], ...(op === 'scale' && args[1] !== undefined ? { replicas: args[1] } : {}) };
}
