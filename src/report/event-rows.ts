import { describeBaselineFailure, describeWarmupFailure } from '../score/describe-inconclusive.ts';
import { formatSeconds } from '../score/format.ts';
import type { JournalEvent } from '../core/journal.ts';
import type { EventPayloads } from '../core/events.ts';
import { formatOffset } from './format.ts';

export interface EventRow {
  offset: string;
  type: string;
  detail: string;
}

/** The drill's story without the sample noise: phases, fault, alerts, fleet events, errors. */
export function eventRows(events: readonly JournalEvent[], origin: number): EventRow[] {
  const rows: EventRow[] = [];
  // In time order: when a threshold was crossed is read from Prometheus after the drill, so it is
  // journaled later than it happened (a stable sort keeps everything else as journaled).
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    const detail = describe(e);
    if (detail !== undefined) rows.push({ offset: formatOffset(e.at - origin), type: e.type, detail });
  }
  return rows;
}

function describe(e: JournalEvent): string | undefined {
  switch (e.type) {
    case 'phase.started':
      return (e.payload as EventPayloads['phase.started']).phase;
    case 'baseline.healthy':
      return 'steady state held for its window';
    case 'warmup.finished': {
      const p = e.payload as EventPayloads['warmup.finished'];
      return p.ok ? `every group joined and caught up in ${formatSeconds(p.durationMs)}` : describeWarmupFailure(p);
    }
    case 'baseline.unhealthy': {
      const p = e.payload as EventPayloads['baseline.unhealthy'];
      return `the steady state did not hold: ${describeBaselineFailure(p)}`;
    }
    case 'fault.injected': {
      const p = e.payload as EventPayloads['fault.injected'];
      return `${p.fault}${p.description ? `: ${p.description}` : ''} ${JSON.stringify(p.detail)}`;
    }
    case 'fault.removed':
      return (e.payload as EventPayloads['fault.removed']).fault;
    case 'alert.firing':
    case 'alert.resolved':
      return (e.payload as EventPayloads['alert.resolved']).rule;
    case 'alert.threshold': {
      const p = e.payload as EventPayloads['alert.threshold'];
      return `${p.alert}: first sample over the threshold (${p.expr}${p.value === null ? '' : ` = ${p.value}`})`;
    }
    case 'alert.pending': {
      const p = e.payload as EventPayloads['alert.pending'];
      return `${p.alert} pending ${JSON.stringify(p.labels)}`;
    }
    case 'alert.notified': {
      const p = e.payload as EventPayloads['alert.notified'];
      return `${p.alert} ${p.status === 'firing' ? 'paged' : p.status} through Alertmanager (receiver ${p.receiver})${p.annotations.summary ? `: ${p.annotations.summary}` : ''}`;
    }
    case 'fleet.event': {
      const p = e.payload as EventPayloads['fleet.event'];
      return [p.type, p.instanceId ?? p.agent, Object.keys(p.detail).length > 0 ? JSON.stringify(p.detail) : ''].filter(Boolean).join(' ');
    }
    case 'platform.event': {
      const p = e.payload as EventPayloads['platform.event'];
      return `${p.source} ${p.type === 'Normal' ? '' : `${p.type} `}${p.reason} ${p.object}${p.count > 1 ? ` (×${p.count})` : ''}: ${p.message}`;
    }
    case 'group.state': {
      const p = e.payload as EventPayloads['group.state'];
      return `${p.group}: ${p.from ?? '—'} → ${p.to}`;
    }
    case 'observation': {
      const p = e.payload as EventPayloads['observation'];
      return [p.kind, p.instanceId ?? p.agent, Object.keys(p.detail).length > 0 ? JSON.stringify(p.detail) : ''].filter(Boolean).join(' ');
    }
    case 'fault.assessed': {
      const p = e.payload as EventPayloads['fault.assessed'];
      return [`${p.fault} ${JSON.stringify(p.figures)}`, ...p.failures.map((f) => `failed: ${f}`)].join('; ');
    }
    case 'recovered':
      return 'steady state held for its window again';
    case 'error': {
      const p = e.payload as EventPayloads['error'];
      return `${p.code}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`;
    }
    case 'drill.finished':
      return (e.payload as EventPayloads['drill.finished']).verdict;
    default:
      return undefined;
  }
}
