import os from 'node:os';

/** Set it per terminal at a game day where people share one login: `AGENTDRILL_RESPONDER_NAME=alice`. */
export const responderNameEnv = 'AGENTDRILL_RESPONDER_NAME';

/** Who is typing: the name set for this terminal, else the login; for the scribe's timeline. */
export function responderName(env: NodeJS.ProcessEnv): string {
  const set = env[responderNameEnv]?.trim();
  if (set) return set.slice(0, 100);
  try {
    return os.userInfo().username;
  } catch {
    // A uid with no passwd entry (some containers) has no name to give.
    return 'someone';
  }
}
