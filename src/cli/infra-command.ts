import type { Command } from 'commander';
import { collectGarbage } from '../infra/docker/gc.ts';
import { localImages, removeImages } from '../infra/docker/images/prune.ts';
import type { CommandContext } from './main.ts';

/** Cleanup by label for what a crashed drill left in Docker (Ryuk cannot run here). */
export function registerInfraCommand(program: Command, context: CommandContext): void {
  const infra = program.command('infra').description('containers and networks drills create');
  infra
    .command('gc')
    .description('remove every container, network and volume labelled agentdrill=1 (or one drill\'s with --drill)')
    .option('--drill <id>', "only this drill's resources (label agentdrill.drill=<id>)")
    .option('--run <id>', 'only the resources of the drills run with AGENTDRILL_RUN_ID=<id> (label agentdrill.run=<id>): one CI job\'s, on an engine jobs share')
    .option('--images', 'also remove every image agentdrill built (agentdrill/*); the next Docker drill rebuilds what it needs')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  agentdrill infra gc                what crashed or killed drills left behind',
        "  agentdrill infra gc --drill <id>   one drill's (the id is in its journal and container names)",
        "  agentdrill infra gc --run <id>     one run's: every drill started with AGENTDRILL_RUN_ID=<id>",
        '  agentdrill infra gc --images       and the locally built images, to free disk',
        '',
      ].join('\n'),
    )
    .action(async (opts: { drill?: string; run?: string; images?: boolean }) => {
      const removed = await collectGarbage(opts.drill ?? (opts.run ? { runId: opts.run } : undefined));
      const images = opts.images ? await removeImages((await localImages()).map((i) => i.ref)) : { removed: [], inUse: [] };
      const lines = [
        ...removed.containers.map((n) => `removed container ${n}`),
        ...removed.networks.map((n) => `removed network ${n}`),
        ...removed.volumes.map((n) => `removed volume ${n}`),
        ...images.removed.map((n) => `removed image ${n}`),
        ...images.inUse.map((n) => `kept image ${n} (a container still uses it)`),
      ];
      context.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : 'nothing to remove\n');
    });
}
