import type { Clock } from '../core/clock.ts';
import type { Journal } from '../core/journal.ts';
import type { Progress } from '../infra/provider.ts';
import { formatDuration } from '../core/duration.ts';
import { injectionDelay, type InjectWindow } from '../scenario/inject-window.ts';

/**
 * A game day's wait before the fault: a random moment within the window, journaled before the
 * wait (so the report can tell it) but not announced, so nobody in the room watches the clock.
 * Returns early when the drill is interrupted; the caller checks its signal.
 */
export async function waitToInject(window: InjectWindow, o: { journal: Journal; clock: Clock; random: () => number; progress: Progress; signal: AbortSignal }): Promise<void> {
  const delayMs = injectionDelay(window, o.random);
  o.journal.record('fault.scheduled', { ...window, delayMs });
  o.progress(`game day: the fault comes at a random moment within ${formatDuration(window.fromMs)}..${formatDuration(window.toMs)}`);
  if (delayMs > 0) await o.clock.sleep(delayMs, o.signal);
}
