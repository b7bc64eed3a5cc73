import { AgentdrillError } from '../core/errors.ts';
import type { ApprovalDesk } from '../respond/approvals.ts';
import type { Handler } from './control-server.ts';

/**
 * The control server's side of approvals during the drill: `agentdrill ctl approvals` lists the
 * calls waiting, `ctl approve|deny <id>` answers one. A drill whose scenario asks for no
 * approvals says so, rather than a bare "no route".
 */
export function approvalRoutes(desk: ApprovalDesk | undefined): Record<string, Handler> {
  const open = (): ApprovalDesk => {
    if (desk) return desk;
    throw new AgentdrillError('USAGE', 'this drill asks nobody for approvals: a destructive call without an approval ahead is refused at once', {
      hint: "set the scenario's responder.approvalWait (e.g. 2m) to have such calls wait for agentdrill ctl approve",
    });
  };
  return {
    'GET /approvals': () => Promise.resolve({ waiting: desk ? desk.list() : [], waitMs: desk?.waitMs ?? null }),
    'POST /approve': (body) => {
      const id = Number(body.id);
      if (!Number.isInteger(id) || id < 1) throw new AgentdrillError('USAGE', `"${String(body.id)}" is not an approval number`, { hint: 'use the number the drill printed: APPROVAL NEEDED #<n> (agentdrill ctl approvals lists them)' });
      const by = typeof body.by === 'string' && body.by ? body.by.slice(0, 100) : undefined;
      const note = typeof body.note === 'string' && body.note ? body.note.slice(0, 500) : undefined;
      const request = open().answer(id, body.approve === true, by, note);
      return Promise.resolve({ id, tool: request.tool, args: request.args, approved: body.approve === true });
    },
  };
}
