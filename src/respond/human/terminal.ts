import { AgentdrillError } from '../../core/errors.ts';

/**
 * A human responder types at the drill's prompt, so stdin must be a terminal. Checked before
 * anything starts: a drill run from a pipe or CI with `--responder human` would otherwise wait
 * for a person who is not there until its time limit.
 */
export function requireTerminal(plans: readonly { name: string; responder: { type: string } }[], stdin: { isTTY?: boolean }): void {
  const human = plans.filter((p) => p.responder.type === 'human');
  if (human.length === 0 || stdin.isTTY === true) return;
  throw new AgentdrillError('NOT_A_TERMINAL', `--responder human needs a terminal on stdin, and stdin is not one (${human.map((p) => p.name).join(', ')})`, {
    hint: 'run it at a terminal (or in tmux/screen); for CI use --responder script, or agent for an AI agent over MCP',
  });
}
