import { httpProbe, tcpProbe } from '../health-probes.ts';
import { resolveDependencyCommand, type DrillAddresses } from '../definition/resolve.ts';
import type { FleetDefinition } from '../definition/schema.ts';
import type { AgentTemplate } from '../supervisor.ts';

/** Where each started stand-in listens, by dependency name. */
export type StandInPorts = Map<string, number>;

/**
 * Supervisor templates for the dependencies a fleet file starts itself (`command:`): each told
 * its port through `${dependency.port}`, up once it accepts connections (or its `health.path`
 * answers 2xx). Stand-ins start before the agents, so they cannot use `${deps...}` themselves.
 */
export function standInTemplates(fleet: FleetDefinition, at: DrillAddresses, ports: StandInPorts): Record<string, AgentTemplate> {
  const templates: Record<string, AgentTemplate> = {};
  for (const dep of Object.values(fleet.dependencies)) {
    if (!dep.command) continue;
    const address = () => `127.0.0.1:${ports.get(dep.name)}`;
    const healthPath = dep.protocol === 'http' ? dep.health.path : undefined;
    templates[dep.name] = {
      stateful: false,
      env: () => ({}),
      command: (_id, port) => {
        ports.set(dep.name, port);
        return resolveDependencyCommand(fleet, dep.name, { host: '127.0.0.1', port }, at);
      },
      probe: healthPath === undefined ? tcpProbe(address) : httpProbe(() => `http://${address()}/${healthPath.replace(/^\//, '')}`),
    };
  }
  return templates;
}
