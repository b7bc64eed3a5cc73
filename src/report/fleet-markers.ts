import type { OomEvidence } from '../fleet/launcher.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';
import type { GroupSample } from '../observe/sample.ts';
import type { Marker } from './chart/timeline.ts';
import { formatOffset, secondsOrDash } from './format.ts';

/**
 * Markers for what the fleet did on its own: instances that died without being asked to, and
 * consumer-group rebalances. Exits the supervisor asked for (scale-in, teardown) are noise here.
 */
export function fleetMarkers(events: readonly JournalEvent[], origin: number): Marker[] {
  return [...exitMarkers(events, origin), ...observationMarkers(events, origin), ...rebalanceMarkers(events, origin)];
}

/** What a fault reported seeing (an OOM kill, corrupted state...): an OOM under its usual marker. */
function observationMarkers(events: readonly JournalEvent[], origin: number): Marker[] {
  return eventsOfType(events, 'observation').map((e) => {
    const p = e.payload;
    const x = e.at - origin;
    const oom = /\boom\b|out.of.memory/i.test(p.kind);
    const who = p.instanceId ?? p.agent;
    return { kind: oom ? 'oom' : 'observation', x, label: oom ? 'OOM' : p.kind, title: `${p.kind}${who ? ` ${who}` : ''} at ${formatOffset(x)}` };
  });
}

function exitMarkers(events: readonly JournalEvent[], origin: number): Marker[] {
  const markers: Marker[] = [];
  for (const e of eventsOfType(events, 'fleet.event')) {
    const p = e.payload;
    if (p.type !== 'instance.exited' || p.detail.expected === true) continue;
    const code = typeof p.detail.code === 'number' ? p.detail.code : undefined;
    const signal = typeof p.detail.signal === 'string' ? p.detail.signal : undefined;
    const oom = oomCause(code, signal, p.detail.oomKilled === true, p.detail.oomEvidence as OomEvidence | undefined);
    const killed = !oom && (signal === 'SIGKILL' || code === 137);
    const who = p.instanceId ?? p.agent;
    const status = signal ?? (code === undefined ? 'unknown status' : `code ${code}`);
    const x = e.at - origin;
    markers.push({
      kind: oom ? 'oom' : 'exit',
      x,
      label: oom ? 'OOM' : killed ? 'killed' : 'exit',
      title: `${who} exited unexpectedly at ${formatOffset(x)}: ${status}${oom ? ` (${oom})` : killed ? ' (killed: a fault, kill -9, or the OOM killer)' : ''}${leftDown(p.detail)}`,
    });
  }
  return markers;
}

/** An exit its agent's restart policy did not restart reads differently from a crash loop. */
function leftDown(detail: Record<string, unknown>): string {
  return detail.restarting === false && typeof detail.restartPolicy === 'string' ? `; not restarted (restart: ${detail.restartPolicy})` : '';
}

/**
 * V8 aborts on reaching its heap limit (SIGABRT, 134). A SIGKILL (137) is an OOM only when the
 * engine says so (Docker's OOMKilled): a fault's SIGKILL or a `kill -9` looks the same otherwise.
 */
function oomCause(code: number | undefined, signal: string | undefined, oomKilled: boolean, evidence: OomEvidence | undefined): string | undefined {
  if (signal === 'SIGABRT' || code === 134) return 'heap limit reached';
  if (!oomKilled) return undefined;
  if (!evidence || !Array.isArray(evidence.saw)) return 'killed by the kernel OOM killer';
  // The witnesses are named, and a disagreement is shown rather than hidden behind one of them.
  const seen = `seen by ${evidence.saw.map(witnessName).join(', ')}`;
  const missed = evidence.disagree && Array.isArray(evidence.sawNone) && evidence.sawNone.length > 0 ? `; not seen by ${evidence.sawNone.map(witnessName).join(', ')}: the signals disagree` : '';
  return `killed by the kernel OOM killer, ${seen}${missed}`;
}

const witnessNames: Record<string, string> = {
  engineFlag: "the engine's OOMKilled flag",
  engineEvent: "the engine's oom event",
  kernelLog: 'the kernel log',
  cgroupOomKill: "the cgroup's OOM counter",
};
const witnessName = (w: string) => witnessNames[w] ?? w;

// Classic protocol (PreparingRebalance, CompletingRebalance) and KIP-848 (Assigning, Reconciling).
const rebalancing = /rebalanc|assigning|reconciling/i;

/** One marker where a group leaves Stable, spanning until it is Stable again (or the samples end). */
function rebalanceMarkers(events: readonly JournalEvent[], origin: number): Marker[] {
  const markers: Marker[] = [];
  const open = new Map<string, { at: number; states: Set<string>; members: number | undefined }>();
  const close = (group: string, end: number | undefined) => {
    const r = open.get(group)!;
    open.delete(group);
    const x = r.at - origin;
    const lasted = end === undefined ? 'until the end of sampling' : `for ${secondsOrDash(end - r.at)}`;
    const members = r.members === undefined ? '' : `, ${r.members} members`;
    const states = [...r.states];
    // An Empty or Dead group is not rebalancing but is just as worth seeing, under its own name.
    const label = states.some((st) => rebalancing.test(st)) ? 'rebalance' : states[0]!.toLowerCase();
    markers.push({ kind: 'rebalance', x, label, title: `${group} ${states.join(' → ')} at ${formatOffset(x)} ${lasted}${members}` });
  };
  for (const s of eventsOfType(events, 'sample')) {
    for (const [group, g] of Object.entries(s.payload.groups) as [string, GroupSample][]) {
      // Groups sampled without a state (older journals, a failed describe) say nothing either way.
      if (g.state === undefined) continue;
      const current = open.get(group);
      if (g.state === 'Stable') {
        if (current) close(group, s.at);
      } else if (current) {
        current.states.add(g.state);
        current.members = g.members ?? current.members;
      } else {
        open.set(group, { at: s.at, states: new Set([g.state]), members: g.members });
      }
    }
  }
  for (const group of [...open.keys()]) close(group, undefined);
  return markers.sort((a, b) => a.x - b.x);
}
