import type { Command } from 'commander';
import { z } from 'zod';
import { AgentdrillError } from '../core/errors.ts';
import { collectGarbage } from '../infra/docker/gc.ts';
import { localImages, removeImages } from '../infra/docker/images/prune.ts';
import { collectClusterGarbage } from '../infra/kubernetes/cluster-gc.ts';
import { isClean } from '../infra/kubernetes/host-sweep.ts';
import type { CommandContext } from './main.ts';

/** The providers that leave something gc can find: containers (docker) or a local cluster (kubernetes). */
const gcProviders = ['docker', 'kubernetes'] as const;

const gcFlags = z.strictObject({
  provider: z.enum(gcProviders, { error: `must be one of: ${gcProviders.join(', ')}` }).default('docker'),
  drill: z.string().optional(),
  run: z.string().optional(),
  images: z.boolean().optional(),
});

/** Cleanup by label for what a crashed drill left in Docker (Ryuk cannot run here), or of a local cluster whose harness died. */
export function registerInfraCommand(program: Command, context: CommandContext): void {
  const infra = program.command('infra').description('what drills create on this machine: containers and networks, local clusters');
  infra
    .command('gc')
    .description("remove what killed drills left: every container, network and volume labelled agentdrill=1 (or one drill's with --drill); with --provider kubernetes, every local cluster whose drill is gone")
    .option('--provider <kind>', `where to look: ${gcProviders.join(' or ')}`, 'docker')
    .option('--drill <id>', "only this drill's resources (label agentdrill.drill=<id>); docker only")
    .option('--run <id>', "only the resources of the drills run with AGENTDRILL_RUN_ID=<id> (label agentdrill.run=<id>): one CI job's, on an engine jobs share; docker only")
    .option('--images', 'also remove every image agentdrill built (agentdrill/*); the next Docker drill rebuilds what it needs')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  agentdrill infra gc                          what crashed or killed drills left in Docker',
        "  agentdrill infra gc --drill <id>             one drill's (the id is in its journal and container names)",
        "  agentdrill infra gc --run <id>               one run's: every drill started with AGENTDRILL_RUN_ID=<id>",
        '  agentdrill infra gc --images                 and the locally built images, to free disk',
        '  agentdrill infra gc --provider kubernetes    local clusters whose drill died with its reaper (kill -9 of the',
        '                                               whole group): their processes, containers, cgroups, bridge and',
        '                                               folder under $TMPDIR; clusters of running drills are left alone',
        '',
      ].join('\n'),
    )
    .action(async (raw: unknown) => {
      const parsed = gcFlags.safeParse(raw);
      if (!parsed.success) throw new AgentdrillError('USAGE', `invalid flags: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`, { hint: 'see agentdrill infra gc --help' });
      const opts = parsed.data;
      if (opts.provider === 'kubernetes') {
        if (opts.drill || opts.run || opts.images) throw new AgentdrillError('USAGE', '--drill, --run and --images are for --provider docker', { hint: 'agentdrill infra gc --provider kubernetes removes every local cluster whose drill is gone' });
        context.stdout.write(clusterLines().join('\n') + '\n');
        return;
      }
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

function clusterLines(): string[] {
  const found = collectClusterGarbage();
  const lines = [
    ...found.removed.map((c) => (isClean(c.left) ? `removed cluster ${c.dir}` : `removed cluster ${c.dir}, except: ${JSON.stringify(c.left)}`)),
    ...found.running.map((dir) => `kept cluster ${dir} (its drill is still running)`),
  ];
  return lines.length > 0 ? lines : ['nothing to remove'];
}
