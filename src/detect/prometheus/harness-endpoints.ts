import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../core/ports.ts';

/** One alert of an Alertmanager webhook notification (payload version 4). */
export interface NotifiedAlert {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt?: string;
}

export interface Notification {
  receiver: string;
  status: string;
  groupKey: string;
  alerts: NotifiedAlert[];
}

/** A scrape target Prometheus discovers over http_sd (a running instance's own /metrics). */
export interface AgentTarget {
  agent: string;
  instance: string;
  url: string;
}

export interface HarnessEndpointsOptions {
  exposition: () => Promise<{ body: string; contentType: string }>;
  agentTargets: () => AgentTarget[];
  onNotification: (n: Notification) => void;
}

/** A notification is a few KB; anything past this is not Alertmanager talking. */
const maxBodyBytes = 1024 * 1024;

/**
 * What Prometheus and Alertmanager talk to inside the harness, on loopback: GET /metrics (the
 * drill's samples), GET /sd/agents (http_sd: the agents' own endpoints), POST /alertmanager (the
 * webhook receiver: the page). A handler that throws answers 500; it never reaches the drill.
 */
export async function startHarnessEndpoints(o: HarnessEndpointsOptions): Promise<{ address: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    void handle(req, res, o).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const port = await freePort('127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, o: HarnessEndpointsOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://harness');
  if (req.method === 'GET' && url.pathname === '/metrics') {
    const { body, contentType } = await o.exposition();
    res.writeHead(200, { 'content-type': contentType }).end(body);
    return;
  }
  if (req.method === 'GET' && url.pathname === '/sd/agents') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sdGroups(o.agentTargets())));
    return;
  }
  if (req.method === 'POST' && url.pathname === '/alertmanager') {
    const body = await readBody(req);
    const parsed = body === undefined ? undefined : parseNotification(body);
    if (!parsed) {
      res.writeHead(400).end();
      return;
    }
    o.onNotification(parsed);
    res.writeHead(200).end();
    return;
  }
  res.writeHead(404).end();
}

/** http_sd's format: one group per target, its path and scheme as relabelling meta labels. */
export function sdGroups(targets: readonly AgentTarget[]): { targets: string[]; labels: Record<string, string> }[] {
  return targets.flatMap((t) => {
    let url: URL;
    try {
      url = new URL(t.url);
    } catch {
      return [];
    }
    return [{ targets: [url.host], labels: { __metrics_path__: url.pathname || '/metrics', __scheme__: url.protocol.replace(':', ''), agent: t.agent, pod: t.instance } }];
  });
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBodyBytes) {
        req.destroy();
        resolve(undefined);
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

export function parseNotification(text: string): Notification | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { alerts?: unknown }).alerts)) return undefined;
  const d = data as { receiver?: unknown; status?: unknown; groupKey?: unknown; alerts: unknown[] };
  const strings = (v: unknown): Record<string, string> =>
    typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string> : {};
  return {
    receiver: String(d.receiver ?? ''),
    status: String(d.status ?? ''),
    groupKey: String(d.groupKey ?? ''),
    alerts: d.alerts.filter((a): a is Record<string, unknown> => typeof a === 'object' && a !== null).map((a) => ({
      status: String(a.status ?? ''),
      labels: strings(a.labels),
      annotations: strings(a.annotations),
      ...(typeof a.startsAt === 'string' ? { startsAt: a.startsAt } : {}),
    })),
  };
}
