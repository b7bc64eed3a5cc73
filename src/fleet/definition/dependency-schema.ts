import { z } from 'zod';
import { strictObject } from '../../input/fields.ts';
import { command, hostPort, text } from './fields.ts';

/**
 * Something the agents call that is not Kafka. Each gets a Toxiproxy proxy of its own, and the
 * agents are given the proxy's address, so latency and the other toxics sit on exactly this path.
 * Either the real upstream (`upstream: host:port`) or a stand-in the team already has, started
 * by the drill (`command:`), told its port through `${dependency.port}`.
 */
export const dependencySchema = strictObject({
  protocol: z.enum(['http', 'tcp']).default('http'),
  upstream: hostPort.optional(),
  command: command.optional(),
  /** For a stand-in: the path its health answers on (http) — by default the port accepting is enough. */
  health: strictObject({ path: text.optional() }).prefault({}),
}).superRefine((d, ctx) => {
  if ((d.upstream === undefined) === (d.command === undefined)) {
    ctx.addIssue({
      code: 'custom',
      message: d.upstream === undefined ? 'a dependency needs an upstream or a command' : 'a dependency has an upstream or a command, not both',
      params: { hint: 'write upstream: host:port for the real service, or command: { argv: [...] } for a stand-in the drill starts' },
    });
  }
});

export type DependencyDefinition = z.output<typeof dependencySchema> & { name: string };
