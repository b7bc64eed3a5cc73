import { executeResponse } from '../drill/respond.ts';
import type { Responder, ResponderContext } from './responder.ts';
import { readyPayload } from './ready.ts';

/** agentdrill itself runs the failure mode's steps once paged: today's behaviour, and CI's default. */
export class ScriptResponder implements Responder {
  readonly type = 'script' as const;
  readonly endsOnItsOwn = true;
  private context: ResponderContext | undefined;

  start(context: ResponderContext): Promise<void> {
    this.context = context;
    context.journal.record('responder.ready', readyPayload('script', context));
    return Promise.resolve();
  }

  async respond(page: { at: number; alert: string }, signal: AbortSignal): Promise<{ verified: boolean }> {
    const context = this.context!;
    context.journal.record('responder.paged', { alert: page.alert }, page.at);
    return executeResponse({ steps: context.steps, signal, run: context.runStep });
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}
