import { readFileSync } from 'node:fs';
import net from 'node:net';

/** Below the kernel's ephemeral range, above most fixed service ports (Kafka 9092, Toxiproxy 8474). */
const lowestPort = 10_000;
/** Ports this process handed out: two callers must not get the same one before either binds it. */
const handedOut = new Set<number>();

/**
 * A free loopback port for a service the drill starts (a broker, a proxy, an agent's admin port).
 *
 * Not the kernel's `listen(0)`: that returns a port from the ephemeral range, which the kernel also
 * hands out as the local port of outgoing connections, and a drill opens many (kafkajs, the
 * sampler). Between choosing a port and the service binding it, a client socket could take it:
 * seen here as an agent dying with EADDRINUSE at start. Below the ephemeral range only explicit
 * binds compete.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const highest = ephemeralLow() - 1;
  for (let attempt = 0; highest - lowestPort > 1000 && attempt < 100; attempt++) {
    const port = lowestPort + Math.floor(Math.random() * (highest - lowestPort + 1));
    if (handedOut.has(port) || !(await canBind(port, host))) continue;
    if (handedOut.size > 5000) handedOut.clear();
    handedOut.add(port);
    return port;
  }
  return kernelChosenPort(host);
}

/** The first port of the kernel's ephemeral range (Linux's default when it cannot be read). */
export function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

function kernelChosenPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, host: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
