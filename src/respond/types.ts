/**
 * Who responds once the drill pages. `script`: agentdrill runs the runbook's steps itself (the
 * default, for CI). `agent`: an AI on-call agent, connected over MCP. A `human` responder (a game
 * day at the terminal) is the next type to add here and in registry.ts; nothing else names types.
 */
export const responderTypes = ['script', 'agent'] as const;
export type ResponderType = (typeof responderTypes)[number];
