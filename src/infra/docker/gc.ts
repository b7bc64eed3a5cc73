import { docker } from './docker-cli.ts';
import { labelFilter, type LabelScope } from './labels.ts';

export interface Collected {
  containers: string[];
  networks: string[];
  volumes: string[];
}

/** Names of what carries the label, by kind (for gc, for stop's sweep, and for leak assertions). */
export async function labelled(scope?: LabelScope): Promise<Collected> {
  const filter = labelFilter(scope);
  const list = async (args: string[]) =>
    (await docker([...args, '--filter', filter, '--format', '{{.Name}}'], { what: `Listing ${args[0]}s by label`, timeoutMs: 30_000 }))
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
  // `docker ps` has no {{.Name}}; {{.Names}} is its spelling.
  const containers = (
    await docker(['ps', '-a', '--filter', filter, '--format', '{{.Names}}'], { what: 'Listing containers by label', timeoutMs: 30_000 })
  )
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  return { containers, networks: await list(['network', 'ls']), volumes: await list(['volume', 'ls']) };
}

/**
 * Removes every container, network and volume labelled agentdrill=1 (or one drill's, or one run's): what a
 * crashed or SIGKILLed drill left behind, since Ryuk cannot run here. Containers first: a network
 * in use cannot be removed.
 */
export async function collectGarbage(scope?: LabelScope): Promise<Collected> {
  const found = await labelled(scope);
  if (found.containers.length > 0) {
    await docker(['rm', '-f', '-v', ...found.containers], { what: 'Removing labelled containers', timeoutMs: 120_000 });
  }
  if (found.networks.length > 0) await docker(['network', 'rm', ...found.networks], { what: 'Removing labelled networks' });
  if (found.volumes.length > 0) await docker(['volume', 'rm', '-f', ...found.volumes], { what: 'Removing labelled volumes' });
  return found;
}
