import http from 'node:http';
import type { AgentMetrics } from '../types.ts';
import { errorText, type AgentRuntime } from './runtime.ts';

export type Route = (body: Record<string, unknown>) => unknown;

/**
 * Every agent's admin endpoint: GET /health (503 until ready), GET /metrics, GET|POST /config,
 * plus agent-specific routes. The harness and runbooks talk to agents only through this.
 */
export function startAdminServer(
  rt: AgentRuntime,
  options: { extraMetrics?: () => Record<string, unknown>; routes?: Record<string, Route> } = {},
): Promise<http.Server> {
  const routes: Record<string, Route> = {
    'GET /health': () => ({ ok: rt.healthy }),
    'GET /metrics': () => metrics(rt, options.extraMetrics),
    // The same counters as a Prometheus page, for a fleet file's metrics: { url } and Prometheus.
    'GET /prometheus': () => new PlainText(exposition(metrics(rt, options.extraMetrics))),
    'GET /config': () => rt.config,
    'POST /config': (body) => Object.assign(rt.config, body),
    ...options.routes,
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes[`${req.method} ${path}`];
    const reply = (status: number, payload: unknown) => {
      if (payload instanceof PlainText) {
        res.writeHead(status, { 'content-type': 'text/plain; version=0.0.4' });
        return void res.end(payload.text);
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (!route) return reply(404, { error: `no route ${req.method} ${path}` });
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      Promise.resolve()
        .then(() => route(raw ? (JSON.parse(raw) as Record<string, unknown>) : {}))
        .then((payload) => reply(path === '/health' && !rt.healthy ? 503 : 200, payload))
        .catch((e: unknown) => reply(500, { error: errorText(e) }));
    });
  });
  // The harness reads /prometheus every 250 ms for the whole drill. Node's client drops a kept
  // socket a second before the server's advertised timeout, so at 1 s every read was a new
  // connection (28 a second in a kill-consumer drill); 10 s keeps one socket per reader.
  server.keepAliveTimeout = 10_000;
  rt.onShutdown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(rt.env.adminPort, rt.env.adminHost, () => resolve(server));
  });
}

function metrics(rt: AgentRuntime, extra?: () => Record<string, unknown>): AgentMetrics {
  const mem = process.memoryUsage();
  return {
    id: rt.env.id,
    agent: rt.env.agent,
    rssBytes: mem.rss,
    heapUsedBytes: mem.heapUsed,
    processed: rt.processed,
    invalid: rt.invalid,
    uptimeMs: Math.round(process.uptime() * 1000),
    ...extra?.(),
  };
}

class PlainText {
  constructor(readonly text: string) {}
}

/** Prometheus text format 0.0.4: what client libraries serve, so any scraper reads our agents too. */
function exposition(m: AgentMetrics): string {
  const series: [string, string, 'counter' | 'gauge', number][] = [
    ['agent_processed_total', 'Events handled (consumers) or produced (load) since start.', 'counter', m.processed],
    ['agent_invalid_inputs_total', 'Inputs that failed validation since start.', 'counter', m.invalid],
    ['process_resident_memory_bytes', 'Resident memory.', 'gauge', m.rssBytes],
    ['nodejs_heap_used_bytes', 'V8 heap in use.', 'gauge', m.heapUsedBytes],
  ];
  return series.map(([name, help, type, value]) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}\n`).join('');
}
