import { AgentResponder } from './agent/agent-responder.ts';
import { HumanResponder } from './human/human-responder.ts';
import { responderName } from './human/who.ts';
import type { Responder } from './responder.ts';
import { ScriptResponder } from './script-responder.ts';
import type { ResponderType } from './types.ts';

/** One constructor per responder type. */
const responders: Record<ResponderType, () => Responder> = {
  script: () => new ScriptResponder(),
  agent: () => new AgentResponder(),
  // The drill's own terminal; progress and the prompt share stderr, stdout stays the verdict's.
  human: () => new HumanResponder({ input: process.stdin, output: process.stderr, who: responderName(process.env), interrupt: () => process.kill(process.pid, 'SIGINT') }),
};

export function createResponder(type: ResponderType): Responder {
  return responders[type]();
}
