import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * Relays MCP messages between a client on one side (stdio, for clients that only launch a
 * command) and the drill's streamable HTTP endpoint on the other, unchanged: the drill's server
 * decides and journals everything, the bridge only carries. Ends when the local side closes.
 */
export async function bridge(local: Transport, remote: Transport): Promise<void> {
  const ended = new Promise<void>((resolve) => {
    local.onclose = () => resolve();
  });
  local.onmessage = (message) => {
    remote.send(message).catch((e: unknown) => {
      // A request the drill could not be asked must still be answered, or the client waits forever.
      const id = 'id' in message && 'method' in message ? message.id : undefined;
      if (id === undefined) return;
      const reply: JSONRPCMessage = { jsonrpc: '2.0', id, error: { code: -32000, message: `the drill's MCP endpoint did not answer: ${e instanceof Error ? e.message : String(e)}` } };
      local.send(reply).catch(() => undefined);
    });
  };
  remote.onmessage = (message) => {
    local.send(message).catch(() => undefined);
  };
  await remote.start();
  await local.start();
  await ended;
  await remote.close();
}

/** `agentdrill ctl mcp`: this process's stdin/stdout bridged to the running drill's MCP URL. */
export async function bridgeStdio(url: string): Promise<void> {
  // Loaded here: every other `ctl` start stays free of the SDK.
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  await bridge(new StdioServerTransport(), new StreamableHTTPClientTransport(new URL(url)));
}
