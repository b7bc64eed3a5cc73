import type { EventPayloads, Phase } from '../core/events.ts';
import type { JournalEvent, JournalListener } from '../core/journal.ts';
import type { Sample } from '../observe/sample.ts';
import { formatSeconds } from '../score/format.ts';
import { formatCount } from './format.ts';

/** The part of a writable stream the printer uses; process.stderr fits, and so does a test double. */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
  on?(event: 'error', listener: (error: unknown) => void): unknown;
}

export interface ProgressOptions {
  /** Overrides stream.isTTY (tests, or `--no-progress-rewrite`). */
  tty?: boolean;
  /** Status-line interval when the line is rewritten in place. */
  ttyIntervalMs?: number;
  /** Status-line interval for logs and CI, where every line stays forever. */
  plainIntervalMs?: number;
}

const clearLine = '\r\x1b[2K';

/**
 * Live drill progress from journal events: a line per phase change and notable event, and a
 * status line (phase, elapsed, lag and throughput per group, alert state) from samples. Printing
 * is best effort: a closed pipe or odd payload must never disturb the drill, so nothing throws.
 */
export class ProgressPrinter {
  readonly listener: JournalListener = (event) => this.handle(event);
  private readonly tty: boolean;
  private readonly intervalMs: number;
  private origin: number | undefined;
  private phase: Phase | undefined;
  private firing = new Set<string>();
  private lastStatusAt = Number.NEGATIVE_INFINITY;
  private status: string | undefined;
  private broken = false;

  constructor(
    private readonly stream: ProgressStream,
    options: ProgressOptions = {},
  ) {
    this.tty = options.tty ?? stream.isTTY === true;
    this.intervalMs = this.tty ? (options.ttyIntervalMs ?? 1_000) : (options.plainIntervalMs ?? 5_000);
    try {
      stream.on?.('error', () => (this.broken = true));
    } catch {
      this.broken = true;
    }
  }

  handle(event: JournalEvent): void {
    try {
      this.origin ??= event.at;
      if (event.type === 'sample') this.onSample(event.at, event.payload as Sample);
      else this.onEvent(event);
    } catch {
      // Progress is a courtesy; a malformed payload is simply not shown.
    }
  }

  /** Ends an in-place status line so whatever prints next starts on a fresh line. */
  finish(): void {
    if (this.tty && this.status !== undefined) this.write('\n');
    this.status = undefined;
  }

  private onEvent(event: JournalEvent): void {
    if (event.type === 'drill.started') this.origin = event.at;
    if (event.type === 'phase.started') this.phase = (event.payload as EventPayloads['phase.started']).phase;
    if (event.type === 'alert.firing') this.firing.add((event.payload as EventPayloads['alert.firing']).rule);
    if (event.type === 'alert.resolved') this.firing.delete((event.payload as EventPayloads['alert.resolved']).rule);
    const text = describe(event);
    if (text !== undefined) this.line(`[${this.elapsed(event.at)}] ${text}`);
  }

  private onSample(at: number, sample: Sample): void {
    if (at - this.lastStatusAt < this.intervalMs) return;
    this.lastStatusAt = at;
    const groups = Object.entries(sample.groups)
      .map(([name, g]) => `${name} lag ${formatCount(g.lag)} ${formatCount(Math.round(g.throughput))}/s`)
      .join(' · ');
    const alert = this.firing.size > 0 ? 'alert FIRING' : 'alert ok';
    const status = `[${this.elapsed(at)}] ${this.phase ?? 'starting'} | ${groups} | ${alert}`;
    if (this.tty) {
      this.status = this.fit(status);
      this.write(clearLine + this.status);
    } else {
      this.write(`${status}\n`);
    }
  }

  private line(text: string): void {
    if (!this.tty) return this.write(`${text}\n`);
    // Print above the status line, then redraw it so it stays at the bottom.
    this.write(`${clearLine}${text}\n${this.status ?? ''}`);
  }

  private fit(text: string): string {
    const columns = this.stream.columns;
    return columns && columns > 10 && text.length >= columns ? `${text.slice(0, columns - 2)}…` : text;
  }

  private elapsed(at: number): string {
    const s = Math.max(0, Math.floor((at - (this.origin ?? at)) / 1000));
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  }

  private write(chunk: string): void {
    if (this.broken) return;
    try {
      this.stream.write(chunk);
    } catch {
      this.broken = true;
    }
  }
}

function describe(event: JournalEvent): string | undefined {
  const p = event.payload as Record<string, unknown>;
  switch (event.type) {
    case 'phase.started':
      return `phase: ${String(p.phase)}`;
    case 'baseline.healthy':
      return 'baseline healthy';
    case 'fault.injected':
      return `fault injected: ${String(p.fault)}`;
    case 'fault.removed':
      return `fault removed: ${String(p.fault)}`;
    case 'alert.firing':
      return `alert firing: ${String(p.rule)}`;
    case 'alert.resolved':
      return `alert resolved: ${String(p.rule)}`;
    case 'alert.pending':
      return `alert pending: ${String(p.alert)}`;
    case 'step.started':
      return `step ${String(p.name)}${p.manual ? ' (manual)' : ''}`;
    case 'step.finished': {
      const f = p as unknown as EventPayloads['step.finished'];
      const how = f.timedOut ? 'timed out' : f.exitCode === null ? 'ended' : `exit ${f.exitCode}`;
      return `step ${f.name}: ${how} after ${formatSeconds(f.endedAt - f.startedAt)}`;
    }
    case 'recovered':
      return 'recovered: steady state held for its window';
    case 'error':
      return `error: ${String(p.code)}: ${String(p.message)}`;
    case 'drill.finished':
      return `finished: ${String(p.verdict)}`;
    default:
      return undefined;
  }
}
