import { AgentdrillError } from '../core/errors.ts';
import type { InfraProvider } from './provider.ts';
import { externalProvider } from './external/index.ts';
import { dockerProvider } from './docker/index.ts';
import { kubernetesProvider } from './kubernetes/provider.ts';
import { localProvider } from './local/index.ts';

/** Providers by `kind`; 'external' and 'docker' join here when they exist. */
export const providers: Record<string, InfraProvider> = {
  [localProvider.kind]: localProvider,
  [dockerProvider.kind]: dockerProvider,
  [externalProvider.kind]: externalProvider,
  [kubernetesProvider.kind]: kubernetesProvider,
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
