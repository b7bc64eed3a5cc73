import type { Command } from 'commander';
import { settingsFromEnv } from '../core/settings.ts';
import { buildComposeImages, buildLocalImages } from '../infra/docker/images/index.ts';
import type { CommandContext } from './main.ts';

/** Builds the docker provider's images with no registry: what air-gapped sites run once. */
export function registerImagesCommand(program: Command, context: CommandContext): void {
  const images = program.command('images').description('container images for the docker provider and docker-compose.yml');
  images
    .command('build')
    .description(
      'build the Kafka and Toxiproxy images locally (Debian base via debootstrap, tagged by content hash, reused), ' +
        'and name the Kafka and Toxiproxy images agentdrill/kafka:<version> and agentdrill/toxiproxy:<version> for docker-compose.yml',
    )
    .option('--compose-env', 'print only the lines docker-compose.yml needs (AGENTDRILL_KAFKA_IMAGE=..., for `> .env`)')
    .action(async (options: { composeEnv?: boolean }) => {
      const started = Date.now();
      const progress = (m: string) => context.stderr.write(`${m}\n`);
      const settings = settingsFromEnv();
      const built = await buildLocalImages(settings, progress);
      const compose = await buildComposeImages(settings, progress, built);
      const envLines = Object.entries(compose.env).map(([k, v]) => `${k}=${v}\n`);
      if (options.composeEnv) {
        context.stderr.write(`images ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        context.stdout.write(envLines.join(''));
        return;
      }
      context.stderr.write(`images ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      context.stderr.write(`docker-compose.yml runs these with (in .env, or \`agentdrill images build --compose-env > .env\`):\n${envLines.map((l) => `  ${l}`).join('')}`);
      context.stdout.write(`${built.kafka}\n${built.toxiproxy}\n`);
    });
}
