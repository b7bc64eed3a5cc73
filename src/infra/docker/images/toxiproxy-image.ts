import type { Progress } from '../../provider.ts';
import { buildImage, type BuildOptions, type BuiltImage } from './build-context.ts';

/**
 * The static toxiproxy-server (CGO off) alone in a FROM-scratch image, at /toxiproxy like the
 * official image, so one entrypoint fits both. No shell inside: readiness is GET /version.
 */
export async function buildToxiproxyImage(o: { bin: string; version: string; progress: Progress; build?: BuildOptions }): Promise<BuiltImage> {
  const dockerfile = ['FROM scratch', 'COPY toxiproxy /toxiproxy', `LABEL agentdrill.toxiproxy.version=${o.version}`, 'ENTRYPOINT ["/toxiproxy"]', ''].join('\n');
  return buildImage({
    ...o.build,
    name: 'toxiproxy',
    progress: o.progress,
    files: [
      { path: 'Dockerfile', content: dockerfile },
      { path: 'toxiproxy', source: o.bin },
    ],
  });
}
