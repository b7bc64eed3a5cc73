import { AgentdrillError } from '../../core/errors.ts';
import { postJson } from '../admin-client.ts';

/** `ctl config`: the settings as one JSON object to the agent's declared `<admin url>/config`. */
export function configureInstance(agent: string, adminUrl: string | undefined, withAdmin: string[], patch: Record<string, unknown>): Promise<unknown> {
  if (!adminUrl) {
    return Promise.reject(
      new AgentdrillError('USAGE', `agent "${agent}" declares no admin endpoint: ctl config has nowhere to send settings`, {
        hint: withAdmin.length ? `agents with one: ${withAdmin.join(', ')}` : 'declare admin: { url: "http://127.0.0.1:${instance.port}" } for an agent that takes runtime settings',
      }),
    );
  }
  return postJson(`${adminUrl.replace(/\/+$/, '')}/config`, patch);
}
