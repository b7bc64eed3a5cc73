import readline from 'node:readline';
import { AgentdrillError, displayText } from '../../core/errors.ts';
import type { PlannedStep } from '../../drill/plan.ts';
import { CallLog, type ToolOutcome } from '../call-log.ts';
import { ctlEquivalent } from '../ctl-equivalent.ts';
import { readyPayload } from '../ready.ts';
import type { ControlRequest, Responder, ResponderContext } from '../responder.ts';
import type { Tier } from '../tiers.ts';
import { parseCommand, resolveStep, type PromptCommand } from './commands.ts';
import { ctlCall, ctlEffect } from './ctl-calls.ts';
import { helpText, pageBanner, runbookSection } from './page-banner.ts';

/** The terminal the drill runs in: where people type, where they read, and who they are. */
export interface HumanIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The person at this terminal (responderName). */
  who: string;
  /** Ctrl-C at the prompt: the drill's own interrupt (teardown, exit 130). */
  interrupt: () => void;
}

/** How much of a step's output the prompt shows; the journal and report keep all of it. */
const shownOutputLines = 30;

/**
 * A game day: people respond at the drill's prompt. Everything they do goes through the same
 * call log as an agent's tools (decided against the permissions, journaled as responder.call with
 * who did it), so the score is the agent's score: acknowledge, steps, violations, "resolved".
 * The response ends when they declare it resolved or when the drill is over.
 */
export class HumanResponder implements Responder {
  readonly type = 'human' as const;
  readonly endsOnItsOwn = false;
  private context: ResponderContext | undefined;
  private log: CallLog | undefined;
  private prompt: readline.Interface | undefined;
  private pagedAt: number | undefined;
  private declared = false;
  private finish: (() => void) | undefined;
  private readonly runs = new AbortController();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly io: HumanIo) {}

  start(context: ResponderContext): Promise<void> {
    this.context = context;
    this.log = new CallLog(context.journal, context.clock, context.policy, () => this.pagedAt !== undefined, context.approvals);
    context.journal.record('responder.ready', readyPayload('human', context));
    const prompt = readline.createInterface({ input: this.io.input, output: this.io.output, terminal: true, prompt: 'drill> ' });
    this.prompt = prompt;
    // The prompt holds the terminal in raw mode, so Ctrl-C arrives here, not as a signal.
    prompt.on('SIGINT', () => this.io.interrupt());
    prompt.on('line', (line) => this.track(this.handle(line)));
    prompt.on('close', () => {
      if (!this.runs.signal.aborted) this.io.output.write('\nprompt closed (end of input): the drill goes on until its own time limit; Ctrl-C stops it\n');
    });
    this.say(`responder: human at this terminal (${this.io.who}); waiting for the page\n${helpText()}`);
    return Promise.resolve();
  }

  respond(page: { at: number; alert: string }, signal: AbortSignal): Promise<{ verified: boolean }> {
    const context = this.context!;
    this.pagedAt = page.at;
    context.journal.record('responder.paged', { alert: page.alert }, page.at);
    this.say(`${pageBanner({ alert: page.alert, failureMode: context.failureMode })}\n${this.section()}`);
    return new Promise((resolve) => {
      const done = () => resolve({ verified: this.declared });
      if (this.declared || signal.aborted) return done();
      this.finish = done;
      signal.addEventListener('abort', () => {
        // The drill is over: a step still running is stopped, and the response ends undeclared.
        this.runs.abort();
        if (!this.declared) this.say('the drill is over: no more commands are taken');
        done();
      }, { once: true });
    });
  }

  async stop(): Promise<void> {
    this.runs.abort();
    this.prompt?.close();
    await Promise.allSettled([...this.pending]);
  }

  async onControl(request: ControlRequest, run: () => Promise<unknown>): Promise<unknown> {
    const context = this.context;
    const call = context && ctlCall(request.route, request.body, context.instancesByAgent());
    if (!context || !call || !this.log) return run();
    const by = `${request.by ?? 'someone'} via agentdrill ctl`;
    let ran = false;
    let result: unknown;
    let failure: unknown;
    const reply = await this.log.call(call.tool, call.args, { name: call.tool, tier: call.tier }, async () => {
      ran = true;
      try {
        result = await run();
      } catch (e) {
        failure = e;
        throw e;
      }
      const effect = ctlEffect(call, result, context.instancesByAgent());
      return { result, ...(effect ? { effect } : {}) };
    }, by);
    this.say(`[${by}] ${call.tool} ${describe(call.args)}: ${ran ? (failure === undefined ? 'ok' : 'failed') : reasonOf(reply.text)}`);
    if (failure !== undefined) throw failure;
    if (!ran) throw new AgentdrillError('USAGE', `refused by the drill: ${reasonOf(reply.text)}`, { hint: 'the scenario\'s responder: allow / approve say what may be done' });
    return result;
  }

  private async handle(line: string): Promise<void> {
    if (this.runs.signal.aborted) return;
    const command = parseCommand(line);
    try {
      await this.execute(command);
    } catch (e) {
      this.say(`error: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!this.runs.signal.aborted) this.prompt?.prompt(true);
  }

  private async execute(c: PromptCommand): Promise<void> {
    const context = this.context!;
    switch (c.kind) {
      case 'empty':
        return;
      case 'help':
        return this.say(helpText());
      case 'runbook':
        return this.say(this.section());
      case 'invalid':
        return this.say(`? ${c.problems.join('; ')} (${c.hint})`);
      case 'ack':
        return this.act('ack', {}, 'read', () => Promise.resolve({ result: { acknowledged: true } }));
      case 'note':
        return this.act('post_note', { text: c.text }, 'read', () => {
          context.journal.record('responder.note', { text: c.text });
          return Promise.resolve({ result: { noted: true } });
        });
      case 'run':
        return this.withStep(c.step, (step) => this.runStep(step));
      case 'done':
        return this.withStep(c.step, (step) =>
          this.act('mark_done', { name: step.name, ...(c.note ? { note: c.note } : {}) }, step.tier, () => {
            if (c.note) context.journal.record('responder.note', { text: `${step.name}: ${c.note}` });
            return Promise.resolve({ result: { done: step.name }, effect: { step: { name: step.name, exitCode: null } } });
          }, step.name),
        );
      case 'resolved':
        if (this.declared) return this.say('already declared resolved');
        return this.act('declare_resolved', { summary: c.summary }, 'read', () => {
          context.journal.record('responder.resolved', { summary: c.summary, claims: [] });
          this.declared = true;
          this.say('declared resolved: the drill now waits for its own verdict (the steady state, the drain, the integrity check)');
          this.finish?.();
          return Promise.resolve({ result: { resolved: true } });
        });
    }
  }

  private async withStep(ref: string, then: (step: PlannedStep) => Promise<void>): Promise<void> {
    const found = resolveStep(ref, this.context!.steps);
    if ('problem' in found) return this.say(`? ${found.problem}`);
    return then(found.step);
  }

  /** A shell step run as the script runs it; a prose step is done by hand and marked with `done`. */
  private runStep(step: PlannedStep): Promise<void> {
    const context = this.context!;
    if (step.manual) return Promise.resolve(this.say(`${step.name} is done by hand: do it, then \`done ${step.name} <note>\``));
    return this.act('run_step', { name: step.name }, step.tier, async () => {
      this.say(`running ${step.name}…`);
      const run = await context.runStep(step, this.runs.signal);
      const ctlDone = run.exitCode === 0 ? ctlEquivalent(step.command) : undefined;
      const lines = run.output.trimEnd().split('\n');
      this.say(`${lines.slice(-shownOutputLines).map((l) => `  | ${displayText(l)}`).join('\n')}\n${step.name}: ${run.timedOut ? 'timed out' : `exit ${run.exitCode}`}`);
      return {
        result: { exitCode: run.exitCode, timedOut: run.timedOut, output: run.output },
        effect: { step: { name: step.name, exitCode: run.exitCode }, ...(ctlDone ? { ctl: ctlDone, instancesAfter: context.instancesByAgent() } : {}) },
        failed: run.exitCode !== 0,
      };
    }, step.name);
  }

  /** One action through the call log; a refusal is told at the prompt with its reason. */
  private async act(tool: string, args: Record<string, unknown>, tier: Tier, run: () => Promise<ToolOutcome>, permissionName = tool): Promise<void> {
    const reply = await this.log!.call(tool, args, { name: permissionName, tier }, run, `${this.io.who} at the prompt`);
    if (reply.isError) this.say(`${tool}: ${reasonOf(reply.text)}`);
    else if (tool === 'ack') this.say(`acknowledged by ${this.io.who}`);
    else if (tool === 'post_note' || tool === 'mark_done') this.say('noted');
  }

  private section(): string {
    const c = this.context!;
    return runbookSection({ title: c.failureMode.title, file: c.failureMode.runbookFile, steps: c.steps, policy: c.policy });
  }

  private say(text: string): void {
    this.io.output.write(`\r\x1b[2K${text}\n`);
    if (!this.runs.signal.aborted) this.prompt?.prompt(true);
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    work.finally(() => this.pending.delete(work)).catch(() => undefined);
  }
}

/** A refusal's or error's reason from the call log's answer, for the prompt. */
function reasonOf(text: string): string {
  try {
    const body = JSON.parse(text) as { reason?: string; error?: string; exitCode?: number };
    return body.reason ?? body.error ?? (body.exitCode === undefined ? text : `exit ${body.exitCode}`);
  } catch {
    return text;
  }
}

function describe(args: Record<string, unknown>): string {
  return Object.values(args).filter((v) => typeof v === 'string' || typeof v === 'number').join(' ');
}
