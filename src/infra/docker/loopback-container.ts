import { GenericContainer } from 'testcontainers';

/**
 * A GenericContainer whose published ports listen on 127.0.0.1 only: testcontainers binds 0.0.0.0
 * and [::] by default, which would expose a drill's broker to the network. Each port is published
 * on the same number as inside the container, so a broker can advertise it before it starts.
 */
export class LoopbackContainer extends GenericContainer {
  withLoopbackPorts(ports: readonly { host: number; container: number }[]): this {
    return this.withExposedPorts(...ports.map((p) => ({ host: p.host, container: p.container })));
  }

  protected override beforeContainerCreated(): Promise<void> {
    const bindings = this.hostConfig.PortBindings as Record<string, { HostIp?: string; HostPort?: string }[]> | undefined;
    for (const list of Object.values(bindings ?? {})) for (const b of list) b.HostIp = '127.0.0.1';
    return Promise.resolve();
  }
}
