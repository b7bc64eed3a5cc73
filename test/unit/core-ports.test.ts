import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ephemeralLow, freePort } from '../../src/core/ports.ts';

describe('freePort', () => {
  const servers: net.Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  it('hands out distinct ports below the ephemeral range that a service can then bind', async () => {
    const low = ephemeralLow();
    const ports = [];
    for (let i = 0; i < 20; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(low);
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
    }
  });

  it('never returns a port some listener already holds', async () => {
    // Hold many ports of the range at once; freePort must step around every one of them.
    const held = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const port = await freePort();
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      held.add(port);
    }
    expect(held.size).toBe(200);
  });
});
