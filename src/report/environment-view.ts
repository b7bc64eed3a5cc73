import type { EventPayloads } from '../core/events.ts';
import { formatSeconds } from '../score/format.ts';
import { overrideText } from './release-view.ts';

export interface EnvironmentView {
  drillId: string;
  provider: string;
  versions: { name: string; value: string }[];
  /** A fleet file's agents: the release each ran and where that was read. */
  agents: { name: string; version: string; source: string }[];
  /** `--set` flags as written. */
  overrides: string[];
  files: { kind: string; file: string; detail: string; checksum: string; gitRevision: string | undefined }[];
  alertRule: string;
  steadyState: string[];
  steadyWindow: string;
  sampleInterval: string;
}

/** Everything needed to reproduce the drill, straight from drill.started. */
export function environmentView(started: EventPayloads['drill.started']): EnvironmentView {
  return {
    drillId: started.drillId,
    provider: started.provider,
    versions: Object.entries(started.versions).map(([name, value]) => ({ name, value })),
    agents: Object.entries(started.fleet?.versions ?? {}).map(([name, v]) => ({ name, version: v.version ?? 'unknown', source: sourceText(v) })),
    overrides: (started.fleet?.overrides ?? []).map(overrideText),
    files: [
      { kind: 'scenario', file: started.scenario.file, detail: started.scenario.name, checksum: started.scenario.checksum, gitRevision: undefined },
      { kind: 'runbook', file: started.runbook.file, detail: started.runbook.failureMode, checksum: started.runbook.checksum, gitRevision: started.runbook.gitRevision },
      ...(started.fleet
        ? [{ kind: 'fleet', file: started.fleet.file, detail: `${started.fleet.name}, ${Object.entries(started.fleet.replicas).map(([a, n]) => `${a} ×${n}`).join(', ')}, ${started.fleet.ratePerSec}/s`, checksum: started.fleet.checksum, gitRevision: started.fleet.gitRevision }]
        : []),
    ],
    alertRule: started.alertRule,
    steadyState: started.steadyState.conditions,
    steadyWindow: baselineWindowShown(started.steadyState),
    sampleInterval: `${started.sampleIntervalMs}ms`,
  };
}

/** "35s", or "35s to recover (10s before the fault)" when the baseline asked for less. */
function baselineWindowShown(s: { windowMs: number; baselineWindowMs?: number }): string {
  const before = s.baselineWindowMs ?? s.windowMs;
  return before === s.windowMs ? formatSeconds(s.windowMs) : `${formatSeconds(s.windowMs)} to recover (${formatSeconds(before)} before the fault)`;
}

function sourceText(v: { from: string | null; image?: string }): string {
  if (v.from === 'version') return v.image ? `version:, image ${v.image}` : 'version:';
  if (v.from === 'image') return `tag of image ${v.image ?? ''}`;
  return v.image ? `image ${v.image} has no tag` : 'no version: and no image';
}
