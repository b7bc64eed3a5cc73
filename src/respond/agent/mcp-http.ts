import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export interface McpEndpoint {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves MCP over streamable HTTP on loopback, stateless: every POST gets a fresh server and
 * transport, so no session can be lost or mixed up between clients, and a client that reconnects
 * needs nothing from before. Host checking keeps a web page from reaching it by DNS rebinding.
 * `watch` sees every message a client sends before the server handles it: calls the SDK answers
 * on its own (a tool that does not exist, arguments that do not fit) never reach a tool's code.
 */
export async function serveMcp(build: () => McpServer, watch?: (message: JSONRPCMessage) => void): Promise<McpEndpoint> {
  let allowedHosts: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mcp');
    if (url.pathname !== '/mcp') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('the MCP endpoint is /mcp\n');
    // Stateless: no server-initiated stream (GET) and no session to delete (DELETE).
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'method not allowed: this server is stateless, POST only' }, id: null }));
    }
    const mcp = build();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, enableDnsRebindingProtection: true, allowedHosts });
    res.on('close', () => {
      transport.close().catch(() => undefined);
      mcp.close().catch(() => undefined);
    });
    mcp
      .connect(transport)
      .then(() => {
        const handle = transport.onmessage;
        if (watch && handle) {
          transport.onmessage = (message, extra) => {
            watch(message);
            handle(message, extra);
          };
        }
        return transport.handleRequest(req, res);
      })
      .catch((e: unknown) => {
        if (res.headersSent) return;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: e instanceof Error ? e.message : String(e) }, id: null }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
