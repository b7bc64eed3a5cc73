import type { Command } from 'commander';
import type { CommandContext } from './main.ts';
import { AgentdrillError } from '../core/errors.ts';
import { responderName } from '../respond/human/who.ts';
import type { PendingApproval } from '../respond/approvals.ts';

type Call = (method: 'GET' | 'POST', route: string, body?: unknown) => Promise<unknown>;

/** `ctl approvals|approve|deny`: a person answers a responder's destructive call during the drill. */
export function registerApprovalCommands(ctl: Command, call: Call, context: CommandContext): void {
  ctl
    .command('approvals')
    .description("the responder's destructive calls waiting for a person's approval (the scenario's responder.approvalWait)")
    .action(async () => {
      const { waiting } = (await call('GET', '/approvals')) as { waiting: PendingApproval[] };
      if (waiting.length === 0) return void context.stdout.write('no call waits for an approval\n');
      for (const w of waiting) context.stdout.write(`#${w.id}  ${w.by ?? 'the responder'}: ${w.tool} ${JSON.stringify(w.args)}\n`);
    });
  for (const verb of ['approve', 'deny'] as const) {
    ctl
      .command(`${verb} <id> [note...]`)
      .description(verb === 'approve' ? 'let a waiting destructive call run (the number the drill printed: APPROVAL NEEDED #<id>)' : 'refuse a waiting destructive call; the responder is told, and it is no violation')
      .action(async (id: string, note: string[]) => {
        if (!/^\d{1,6}$/.test(id)) throw new AgentdrillError('USAGE', `"${id}" is not an approval number`, { hint: `write the number the drill printed, e.g. agentdrill ctl ${verb} 1` });
        const result = (await call('POST', '/approve', { id: Number(id), approve: verb === 'approve', by: responderName(process.env), note: note.join(' ') })) as { tool: string; args: unknown };
        context.stdout.write(`#${id} ${verb === 'approve' ? 'approved' : 'denied'}: ${result.tool} ${JSON.stringify(result.args)}\n`);
      });
  }
}
