import net from 'node:net';

export interface HostRelays {
  /** `host:port` a container dials for `target` (a host:port on the harness's loopback). */
  addressFor(target: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Services the harness starts (the inventory API) listen on 127.0.0.1, which a container cannot
 * reach. For each one, a TCP relay listens on the drill network's gateway address — reachable from
 * the drill's containers and this host only, never published — and pipes to the loopback target.
 * Toxiproxy's faults still apply: the relay sits behind the proxy, on the upstream side.
 */
export function hostRelays(bindHost: string): HostRelays {
  const servers = new Map<string, Promise<net.Server>>();
  const sockets = new Set<net.Socket>();
  const relay = (target: string) =>
    new Promise<net.Server>((resolve, reject) => {
      const [host, port] = splitAddress(target);
      const server = net.createServer((inbound) => {
        const outbound = net.connect(port, host);
        for (const s of [inbound, outbound]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          // An upstream that resets is normal during faults; never crash the harness over it.
          s.on('error', () => {
            inbound.destroy();
            outbound.destroy();
          });
        }
        inbound.pipe(outbound).pipe(inbound);
      });
      server.once('error', reject);
      server.listen(0, bindHost, () => resolve(server));
    });
  return {
    async addressFor(target) {
      let server = servers.get(target);
      if (!server) servers.set(target, (server = relay(target)));
      const address = (await server).address() as net.AddressInfo;
      return `${bindHost}:${address.port}`;
    },
    async close() {
      for (const s of sockets) s.destroy();
      const all = await Promise.allSettled(servers.values());
      servers.clear();
      await Promise.all(
        all.flatMap((r) => (r.status === 'fulfilled' ? [new Promise<void>((resolve) => r.value.close(() => resolve()))] : [])),
      );
    },
  };
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), Number(address.slice(at + 1))];
}
