import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.ts';
import { eventsOfType, Journal } from '../../src/core/journal.ts';
import { approvalRoutes } from '../../src/drill/approval-routes.ts';
import { startControlServer, type ControlDeps } from '../../src/drill/control-server.ts';
import { AgentResponder } from '../../src/respond/agent/agent-responder.ts';
import { ApprovalDesk } from '../../src/respond/approvals.ts';
import { defaultPolicy } from '../../src/respond/policy.ts';
import type { ResponderContext } from '../../src/respond/responder.ts';
import { responderFailures, scoreResponder } from '../../src/score/responder.ts';
import { runCli } from '../helpers/cli.ts';
import { until } from '../helpers/wait.ts';

/** Time moves on each reading; a wait ends only when it is cut short (or at once, with `instant`). */
function clockOf(instant: boolean): Clock {
  let now = 1_000_000;
  return {
    now: () => (now += 10),
    sleep: (_ms, signal) => new Promise<void>((resolve) => (instant || signal?.aborted ? resolve() : signal?.addEventListener('abort', () => resolve(), { once: true }))),
  };
}

/** An agent's drill without a fleet: the control handlers only record what they were asked. */
async function drillWithDesk(instant = false) {
  const clock = clockOf(instant);
  const journal = new Journal(clock);
  const desk = new ApprovalDesk(journal, clock, () => undefined, 120_000);
  const controlCalls: string[] = [];
  const context: ResponderContext = {
    journal,
    clock,
    progress: () => undefined,
    steps: [],
    failureMode: { id: 'downstream-backlog', title: 'Downstream backlog', alertRule: 'lag(group=inventory) > 300', runbookFile: '/runbooks/x.md' },
    policy: { ...defaultPolicy, approvalWaitMs: 120_000 },
    approvals: desk,
    runStep: () => Promise.resolve({ exitCode: 0, output: '', timedOut: false }),
    control: (route, body) => {
      controlCalls.push(`${route} ${JSON.stringify(body)}`);
      return Promise.resolve({ acted: ['inventory-1'] });
    },
    latestSample: () => undefined,
    evaluate: () => ({ holds: true, failing: [] }),
    instancesByAgent: () => ({ inventory: 1 }),
  };
  const responder = new AgentResponder();
  await responder.start(context);
  open.push({ close: () => responder.stop() });
  void responder.respond({ at: clock.now(), alert: 'x' }, new AbortController().signal);
  const client = new Client({ name: 'scripted-agent', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(eventsOfType(journal.events, 'responder.ready')[0]!.payload.url!)));
  open.push(client);
  return { desk, journal, client, controlCalls };
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

describe('approvals during the drill (responder.approvalWait)', () => {
  it('a destructive call waits for a person; approved, it runs and the call says by whom', async () => {
    const { desk, journal, client, controlCalls } = await drillWithDesk();
    const kill = client.callTool({ name: 'ctl_kill', arguments: { target: 'inventory' } });
    await until('the call waits', () => desk.list().length === 1, 5000);
    expect(controlCalls).toEqual([]);
    expect(desk.list()[0]).toMatchObject({ id: 1, tool: 'ctl_kill', args: { target: 'inventory' } });
    desk.answer(1, true, 'alice');
    expect((await kill).isError).toBe(false);
    expect(controlCalls).toEqual(['POST /kill {"target":"inventory","signal":"SIGKILL"}']);
    const call = eventsOfType(journal.events, 'responder.call')[0]!.payload;
    expect(call).toMatchObject({ tool: 'ctl_kill', outcome: 'ok', violation: false, approvedBy: 'alice' });
    expect(eventsOfType(journal.events, 'responder.approval.answered')[0]!.payload).toMatchObject({ id: 1, approved: true, by: 'alice' });
    const score = scoreResponder(journal.events, 1_000_000)!;
    expect(score.violations).toEqual([]);
    expect(score.approvals).toEqual([expect.stringMatching(/^#1 ctl_kill inventory SIGKILL: approved by alice after /)]);
    expect(() => desk.answer(1, false, 'bob')).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('denied, or not answered in time, the call is refused without a violation and nothing runs', async () => {
    const denied = await drillWithDesk();
    const kill = denied.client.callTool({ name: 'ctl_kill', arguments: { target: 'inventory' } });
    await until('the call waits', () => denied.desk.list().length === 1, 5000);
    denied.desk.answer(1, false, 'bob', 'not during peak');
    expect((await kill).isError).toBe(true);
    expect(eventsOfType(denied.journal.events, 'responder.call')[0]!.payload).toMatchObject({ outcome: 'refused', violation: false, reason: 'denied by bob: not during peak' });
    expect(denied.controlCalls).toEqual([]);
    expect(responderFailures(scoreResponder(denied.journal.events, 1_000_000))).toEqual([]);

    const unanswered = await drillWithDesk(true);
    expect((await unanswered.client.callTool({ name: 'ctl_kill', arguments: { target: 'inventory' } })).isError).toBe(true);
    expect(eventsOfType(unanswered.journal.events, 'responder.call')[0]!.payload).toMatchObject({ outcome: 'refused', violation: false });
    const timedOut = eventsOfType(unanswered.journal.events, 'responder.approval.answered')[0]!.payload;
    expect(timedOut.approved).toBe(false);
    expect(timedOut.by).toBeUndefined();
    expect(unanswered.controlCalls).toEqual([]);
  });

  it('the drill ending answers a waiting call no', async () => {
    const { desk, journal, client } = await drillWithDesk();
    const kill = client.callTool({ name: 'ctl_kill', arguments: { target: 'inventory' } });
    await until('the call waits', () => desk.list().length === 1, 5000);
    desk.close();
    expect((await kill).isError).toBe(true);
    expect(eventsOfType(journal.events, 'responder.approval.answered')[0]!.payload).toMatchObject({ approved: false, reason: 'the drill is over' });
  });

  it('agentdrill ctl approvals / approve / deny answer through the control server, with the person\'s name', async () => {
    const clock = clockOf(false);
    const journal = new Journal(clock);
    const desk = new ApprovalDesk(journal, clock, () => undefined, 120_000);
    const server = await startControlServer({} as ControlDeps, approvalRoutes(desk));
    open.push(server);
    const env = { AGENTDRILL_CONTROL_URL: server.url, AGENTDRILL_RESPONDER_NAME: 'carol' };
    const first = desk.ask({ tool: 'ctl_stop', args: { target: 'scorer' } });
    const second = desk.ask({ tool: 'run_step', args: { name: 'delete-state' } });
    const listed = await runCli(['ctl', 'approvals'], { env });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('#1  the responder: ctl_stop {"target":"scorer"}');
    expect(listed.stdout).toContain('#2  the responder: run_step {"name":"delete-state"}');
    expect((await runCli(['ctl', 'approve', '1'], { env })).code).toBe(0);
    expect(await first).toMatchObject({ approved: true, by: 'carol' });
    expect((await runCli(['ctl', 'deny', '2', 'state', 'is', 'fine'], { env })).code).toBe(0);
    expect(await second).toMatchObject({ approved: false, by: 'carol' });
    expect((await second).reason).toContain('state is fine');
    const again = await runCli(['ctl', 'approve', '2'], { env });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('USAGE');

    const none = await startControlServer({} as ControlDeps, approvalRoutes(undefined));
    open.push(none);
    const refused = await runCli(['ctl', 'approve', '1'], { env: { AGENTDRILL_CONTROL_URL: none.url } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('USAGE');
  });
});
