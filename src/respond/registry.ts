import { AgentResponder } from './agent/agent-responder.ts';
import type { Responder } from './responder.ts';
import { ScriptResponder } from './script-responder.ts';
import type { ResponderType } from './types.ts';

/** One constructor per responder type; `human` (the game day at a terminal) joins here. */
const responders: Record<ResponderType, () => Responder> = {
  script: () => new ScriptResponder(),
  agent: () => new AgentResponder(),
};

export function createResponder(type: ResponderType): Responder {
  return responders[type]();
}
