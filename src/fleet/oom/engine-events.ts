import { readFile } from 'node:fs/promises';
import { spawnTethered, type TetheredChild } from '../../infra/local/child-process.ts';
import { findExecutable } from '../../infra/local/host-tools.ts';

/**
 * The engine's `oom` events for one drill's containers, as `docker events` streams them. The CLI
 * writes one container id per line to a file (a tethered child, so it cannot outlive a SIGKILLed
 * harness); a judgement reads the file. Started before the first container, so no event is missed.
 */
export interface EngineOomEvents {
  /** True when an `oom` event for the container arrived; undefined when the stream is not running. */
  saw(containerId: string): Promise<boolean | undefined>;
  close(): Promise<void>;
}

export function watchEngineOomEvents(o: { drillId: string; logFile: string; cwd: string }): EngineOomEvents {
  const bin = findExecutable('docker');
  let child: TetheredChild | undefined;
  if (bin) {
    child = spawnTethered({
      name: 'docker events (oom)',
      command: bin,
      args: ['events', '--filter', 'type=container', '--filter', 'event=oom', '--filter', `label=agentdrill.drill=${o.drillId}`, '--format', '{{.ID}}'],
      cwd: o.cwd,
      logFile: o.logFile,
    });
  }
  return {
    async saw(containerId) {
      if (!child || child.hasExited()) return undefined;
      const text = await readFile(o.logFile, 'utf8').catch(() => undefined);
      if (text === undefined) return undefined;
      return text.split('\n').some((line) => line.trim() === containerId);
    },
    async close() {
      await child?.stop(1000);
    },
  };
}
