import type { PlatformEvent } from './provider.ts';

/** Kept for the first listener: the platform may speak before the drill has subscribed. */
const maxHeld = 1000;

/** A provider's platform events, handed to whoever listens (the drill's journal). */
export class PlatformEvents {
  private readonly listeners = new Set<(e: PlatformEvent) => void>();
  private held: PlatformEvent[] = [];

  emit(event: PlatformEvent): void {
    if (this.listeners.size === 0) {
      if (this.held.length < maxHeld) this.held.push(event);
      return;
    }
    for (const listener of this.listeners) listener(event);
  }

  listen(listener: (e: PlatformEvent) => void): void {
    this.listeners.add(listener);
    const held = this.held;
    this.held = [];
    for (const event of held) listener(event);
  }
}
