import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { EventPayloads } from '../../core/events.ts';
import { packageVersion } from '../../cli/version.ts';
import { readyPayload } from '../ready.ts';
import type { Responder, ResponderContext } from '../responder.ts';
import { actTools } from './act-tools.ts';
import { CallLog } from '../call-log.ts';
import { serveMcp, type McpEndpoint } from './mcp-http.ts';
import { readTools } from './read-tools.ts';
import type { ToolSpec } from './tool.ts';
import { unservedCallWatcher } from './unserved-calls.ts';

/**
 * An AI on-call agent responds: agentdrill serves the drill as MCP tools on loopback, and any MCP
 * client connects to the URL it prints. The response is over when the agent declares it
 * resolved, or when the drill ends. Every call is decided against the permissions and journaled.
 */
export class AgentResponder implements Responder {
  readonly type = 'agent' as const;
  readonly endsOnItsOwn = false;
  private endpoint: McpEndpoint | undefined;
  private pagedAt: number | undefined;
  private resolved: ((declared: EventPayloads['responder.resolved']) => void) | undefined;
  private declared: EventPayloads['responder.resolved'] | undefined;
  private readonly runs = new AbortController();
  private context: ResponderContext | undefined;

  async start(context: ResponderContext): Promise<void> {
    this.context = context;
    const log = new CallLog(context.journal, context.clock, context.policy, () => this.pagedAt !== undefined, context.approvals);
    const tools = [
      ...readTools(context, { pagedAt: () => this.pagedAt, resolve: (d) => this.declare(context, d) }),
      ...actTools(context, () => this.runs.signal),
    ];
    this.endpoint = await serveMcp(() => mcpServer(tools, log), unservedCallWatcher(tools, context.journal, context.clock));
    context.journal.record('responder.ready', readyPayload('agent', context, this.endpoint.url));
    context.progress(`responder: agent over MCP (streamable HTTP) at ${this.endpoint.url}   (or stdio: AGENTDRILL_MCP_URL=${this.endpoint.url} agentdrill ctl mcp)`);
  }

  respond(page: { at: number; alert: string }, signal: AbortSignal): Promise<{ verified: boolean }> {
    this.pagedAt = page.at;
    this.context?.journal.record('responder.paged', { alert: page.alert }, page.at);
    return new Promise((resolve) => {
      const done = () => resolve({ verified: this.declared !== undefined });
      if (this.declared || signal.aborted) return done();
      this.resolved = done;
      // The drill is over: a step still running is stopped, and the response ends undeclared.
      signal.addEventListener('abort', () => {
        this.runs.abort();
        done();
      }, { once: true });
    });
  }

  async stop(): Promise<void> {
    this.runs.abort();
    await this.endpoint?.close();
  }

  /** The first declaration ends the response; a later one is journaled too but changes nothing. */
  private declare(context: ResponderContext, declared: EventPayloads['responder.resolved']): void {
    context.journal.record('responder.resolved', declared);
    if (this.declared) return;
    this.declared = declared;
    this.resolved?.(declared);
  }
}

function mcpServer(tools: readonly ToolSpec[], log: CallLog): McpServer {
  const server = new McpServer({ name: 'agentdrill', version: packageVersion() }, { instructions: 'You are on call for a drill. read_page says whether you are paged; read_runbook gives the steps and your permissions. Act with run_step or the ctl_* tools, write notes with post_note, and end with declare_resolved, claiming only actions you took.' });
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: { title: tool.title, ...tool.hints } },
      async (args: Record<string, unknown>) => {
        const reply = await log.call(tool.name, args, tool.tier(args), () => tool.run(args));
        return { content: [{ type: 'text' as const, text: reply.text }], isError: reply.isError };
      },
    );
  }
  return server;
}
