import { AgentdrillError } from '../core/errors.ts';
import type { InfraProvider, InfraStartOptions } from './provider.ts';
import { externalProvider } from './external/index.ts';
import { localProvider } from './local/index.ts';

/**
 * A provider whose code loads when a drill starts on it. The docker provider pulls in
 * testcontainers (about 30 MB of a harness's RSS) and kubernetes its cluster code; a drill on
 * another provider should not carry them for its whole run.
 */
function loadedOnStart(kind: string, load: () => Promise<InfraProvider>): InfraProvider {
  return { kind, start: async (options: InfraStartOptions) => (await load()).start(options) };
}

/** Providers by `kind`. */
export const providers: Record<string, InfraProvider> = {
  [localProvider.kind]: localProvider,
  docker: loadedOnStart('docker', async () => (await import('./docker/index.ts')).dockerProvider),
  [externalProvider.kind]: externalProvider,
  kubernetes: loadedOnStart('kubernetes', async () => (await import('./kubernetes/provider.ts')).kubernetesProvider),
};

export function providerFor(kind: string): InfraProvider {
  const provider = providers[kind];
  if (!provider) {
    throw new AgentdrillError('USAGE', `provider "${kind}" is not available in this version`, {
      hint: `available providers: ${Object.keys(providers).join(', ')}`,
    });
  }
  return provider;
}
