import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpRequest } from '../../src/core/http.ts';

const servers: http.Server[] = [];

async function serve(handler: http.RequestListener, port = 0): Promise<{ url: string; connections: () => number; server: http.Server }> {
  const server = http.createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections, server };
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map(close));
});

describe('httpRequest (the harness’s kept-alive client)', () => {
  it('answers status and body, and the next call reuses the same socket', async () => {
    const s = await serve((req, res) => res.writeHead(req.method === 'POST' ? 201 : 200).end(req.method === 'POST' ? 'made' : 'ok'));
    expect(await httpRequest(`${s.url}/a`, { timeoutMs: 2000 })).toEqual({ status: 200, body: 'ok' });
    expect(await httpRequest(`${s.url}/b`, { method: 'POST', body: '{}', timeoutMs: 2000 })).toEqual({ status: 201, body: 'made' });
    expect(s.connections()).toBe(1);
  });

  it('fails a page over maxBytes instead of reading an endless stream', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 120);
      const timer = setInterval(() => res.write(chunk), 1);
      res.on('close', () => clearInterval(timer));
    });
    await expect(httpRequest(s.url, { timeoutMs: 10_000, maxBytes: 256 * 1024 })).rejects.toThrow(/larger than 262144 bytes/);
  });

  it('gives up on an endpoint that never finishes its answer, as a TimeoutError', async () => {
    const s = await serve((_req, res) => res.writeHead(200).write('partial'));
    await expect(httpRequest(s.url, { timeoutMs: 200 })).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('ends early when its signal aborts, whether before or during the call', async () => {
    const s = await serve(() => undefined);
    const before = AbortSignal.abort();
    await expect(httpRequest(s.url, { timeoutMs: 5000, signal: before })).rejects.toMatchObject({ name: 'AbortError' });
    const during = new AbortController();
    const call = httpRequest(s.url, { timeoutMs: 5000, signal: during.signal });
    setTimeout(() => during.abort(), 50);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('retries once on a kept-alive socket that the restarted server reset, and refuses plainly when nobody listens', async () => {
    const first = await serve((_req, res) => res.end('one'));
    expect((await httpRequest(first.url, { timeoutMs: 2000 })).body).toBe('one');
    const port = Number(new URL(first.url).port);
    // The client still holds its idle socket; the server goes away and comes back on the same port.
    servers.splice(servers.indexOf(first.server), 1);
    await close(first.server);
    await serve((_req, res) => res.end('two'), port);
    expect((await httpRequest(first.url, { timeoutMs: 2000 })).body).toBe('two');
    await Promise.all(servers.splice(0).map(close));
    await expect(httpRequest(first.url, { timeoutMs: 2000 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
