import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { validateFleetText } from '../../src/fleet/definition/load.ts';
import { configureInstance } from '../../src/fleet/team/admin-config.ts';

const received: { url: string | undefined; body: string }[] = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    received.push({ url: req.url, body });
    res.writeHead(req.url === '/config' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ applied: JSON.parse(body || '{}') as unknown }));
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("ctl config on a team's agent", () => {
  it('POSTs the settings as one JSON object to the declared <admin url>/config (a real HTTP endpoint)', async () => {
    const answer = await configureInstance('scorer', `${base}/`, ['scorer'], { batchSize: 5, mode: 'safe' });
    expect(answer).toEqual({ applied: { batchSize: 5, mode: 'safe' } });
    expect(received.at(-1)).toEqual({ url: '/config', body: '{"batchSize":5,"mode":"safe"}' });
  });

  it('is refused (USAGE) for an agent that declares no admin endpoint, naming those that do', async () => {
    await expect(configureInstance('ledger', undefined, ['scorer'], { a: 1 })).rejects.toMatchObject({ code: 'USAGE', hint: 'agents with one: scorer' });
  });

  it('is declared per agent in the fleet file, its url checked like any template', () => {
    const text = (url: string) =>
      `name: f\ntopics: { t: {} }\nagents:\n  a:\n    command: { argv: [sh] }\n    admin: { url: "${url}" }\nload: { topic: t, rate: 1/s, value: { template: "{}" } }\n`;
    expect(validateFleetText(text('http://127.0.0.1:${instance.port}'), 'fleet.yaml').fleet.agents.a!.admin).toEqual({ url: 'http://127.0.0.1:${instance.port}' });
    expect(() => validateFleetText(text('http://127.0.0.1:${instance.prot}'), 'fleet.yaml')).toThrow(expect.objectContaining({ code: 'FLEET_INVALID' }));
  });
});
