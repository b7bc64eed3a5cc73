import http from 'node:http';
import { availableFor } from '../messages.ts';
import { AgentRuntime, readEnv } from './runtime.ts';

/**
 * The external inventory API the inventory agent depends on. Answers are a pure function of the
 * SKU; it serves on ADMIN_PORT so the harness can put Toxiproxy in front of it. Its admin routes
 * (/health, /metrics) share the port.
 */
const env = readEnv();
const rt = new AgentRuntime(env);
rt.installSignalHandlers();
const route = /^\/inventory\/([^/?]+)/;

const server = http.createServer((req, res) => {
  const reply = (status: number, payload: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(payload));
  };
  const path = req.url ?? '/';
  const match = route.exec(path);
  if (req.method === 'GET' && match) {
    rt.processed++;
    const sku = decodeURIComponent(match[1]!);
    return reply(200, { sku, available: availableFor(sku) });
  }
  if (path === '/health') return reply(200, { ok: true });
  if (path === '/metrics') {
    const mem = process.memoryUsage();
    return reply(200, { id: env.id, agent: env.agent, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, processed: rt.processed, invalid: 0 });
  }
  reply(404, { error: `no route ${req.method} ${path}` });
});
server.keepAliveTimeout = 30_000;
rt.onShutdown(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
server.listen(env.adminPort, env.adminHost, () => {
  rt.healthy = true;
  rt.log('info', 'inventory API listening', { port: env.adminPort });
});
