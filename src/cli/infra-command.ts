import type { Command } from 'commander';
import { collectGarbage } from '../infra/docker/gc.ts';
import type { CommandContext } from './main.ts';

/** Cleanup by label for what a crashed drill left in Docker (Ryuk cannot run here). */
export function registerInfraCommand(program: Command, context: CommandContext): void {
  const infra = program.command('infra').description('containers and networks drills create');
  infra
    .command('gc')
    .description('remove every container, network and volume labelled agentdrill=1 (or one drill\'s with --drill)')
    .option('--drill <id>', "only this drill's resources (label agentdrill.drill=<id>)")
    .action(async (opts: { drill?: string }) => {
      const removed = await collectGarbage(opts.drill);
      const lines = [
        ...removed.containers.map((n) => `removed container ${n}`),
        ...removed.networks.map((n) => `removed network ${n}`),
        ...removed.volumes.map((n) => `removed volume ${n}`),
      ];
      context.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : 'nothing to remove\n');
    });
}
