import type { Responder } from './responder.ts';
import { ScriptResponder } from './script-responder.ts';
import type { ResponderType } from './types.ts';

/**
 * One constructor per responder type. The agent responder's MCP SDK (about 25 MB of RSS) and the
 * human one's terminal code load only for a drill that uses them.
 */
const responders: Record<ResponderType, () => Promise<Responder>> = {
  script: async () => new ScriptResponder(),
  agent: async () => new (await import('./agent/agent-responder.ts')).AgentResponder(),
  human: async () => {
    const [{ HumanResponder }, { responderName }] = await Promise.all([import('./human/human-responder.ts'), import('./human/who.ts')]);
    // The drill's own terminal; progress and the prompt share stderr, stdout stays the verdict's.
    return new HumanResponder({ input: process.stdin, output: process.stderr, who: responderName(process.env), interrupt: () => process.kill(process.pid, 'SIGINT') });
  },
};

export async function createResponder(type: ResponderType): Promise<Responder> {
  return responders[type]();
}
