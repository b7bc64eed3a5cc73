/**
 * Who responds once the drill pages. `script`: agentdrill runs the runbook's steps itself (the
 * default, for CI). `agent`: an AI on-call agent, connected over MCP. `human`: people at the drill's
 * terminal prompt, a game day. Only here and in registry.ts are types named.
 */
export const responderTypes = ['script', 'agent', 'human'] as const;
export type ResponderType = (typeof responderTypes)[number];
