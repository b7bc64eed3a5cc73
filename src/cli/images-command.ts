import type { Command } from 'commander';
import { settingsFromEnv } from '../core/settings.ts';
import { buildLocalImages, ensureAgentImage } from '../infra/docker/images/index.ts';
import type { CommandContext } from './main.ts';

/** Builds the docker provider's images with no registry: what air-gapped sites run once. */
export function registerImagesCommand(program: Command, context: CommandContext): void {
  const images = program.command('images').description('container images for the docker provider');
  images
    .command('build')
    .description('build the Kafka, Toxiproxy and agent images locally (Debian base via debootstrap, tagged by content hash, reused)')
    .action(async () => {
      const started = Date.now();
      const progress = (m: string) => context.stderr.write(`${m}\n`);
      const built = await buildLocalImages(settingsFromEnv(), progress);
      const agent = await ensureAgentImage(progress);
      context.stderr.write(`images ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      context.stdout.write(`${built.kafka}\n${built.toxiproxy}\n${agent}\n`);
    });
}
