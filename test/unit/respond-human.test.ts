import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventsOfType, Journal } from '../../src/core/journal.ts';
import type { PlannedStep } from '../../src/drill/plan.ts';
import { parseCommand, promptLimits, promptVerbs, resolveStep } from '../../src/respond/human/commands.ts';
import { ctlCall } from '../../src/respond/human/ctl-calls.ts';
import { HumanResponder } from '../../src/respond/human/human-responder.ts';
import { requireTerminal } from '../../src/respond/human/terminal.ts';
import { defaultPolicy } from '../../src/respond/policy.ts';
import type { ResponderContext } from '../../src/respond/responder.ts';
import { checkInjectWindow, injectionDelay } from '../../src/scenario/inject-window.ts';
import { responderFailures, scoreResponder } from '../../src/score/responder.ts';
import { AgentdrillError } from '../../src/core/errors.ts';
import { exitCodeForError } from '../../src/core/exit-codes.ts';

const word = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/);
const text = fc.string({ minLength: 1, maxLength: 60 }).filter((t) => t.trim() !== '').map((t) => t.trim());

describe('the drill prompt: parseCommand', () => {
  it('is total: any line is a command or an invalid with problems, never a throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (line) => {
        const c = parseCommand(line);
        if (c.kind === 'invalid') expect(c.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back what was written: run/done take a step and the rest is the note; note and resolved keep their text', () => {
    fc.assert(
      fc.property(word, text, fc.constantFrom('', ' ', '   '), (step, note, pad) => {
        expect(parseCommand(`${pad}run ${step}${pad}`)).toEqual({ kind: 'run', step });
        expect(parseCommand(`DONE ${step}  ${note}`)).toEqual({ kind: 'done', step, note });
        expect(parseCommand(`note ${note}`)).toEqual({ kind: 'note', text: note });
        expect(parseCommand(`resolved ${note}`)).toEqual({ kind: 'resolved', summary: note });
      }),
    );
  });

  it('names the problem: missing arguments, extra words, unknown verbs, lines over the limit', () => {
    expect(parseCommand('')).toEqual({ kind: 'empty' });
    expect(parseCommand('ack')).toEqual({ kind: 'ack' });
    expect(parseCommand('?')).toEqual({ kind: 'help' });
    expect(parseCommand('done 4')).toEqual({ kind: 'done', step: '4', note: undefined });
    const problems = (line: string) => (parseCommand(line) as { problems: string[] }).problems;
    expect(problems('run')).toEqual(['run: needs a step: its number or name']);
    expect(problems('run 1 2')).toEqual(['run: runs one step at a time: write one number or name']);
    expect(problems('ack now')).toEqual(['ack: takes nothing after it']);
    expect(problems('resolved')).toEqual(['resolved: needs a summary']);
    expect(problems('scale inventory +2')).toEqual(['"scale" is not a prompt command']);
    expect(problems(`note ${'x'.repeat(promptLimits.note + 1)}`)).toEqual([`note: a text is at most ${promptLimits.note} characters`]);
    expect(problems('x'.repeat(promptLimits.line + 1))).toEqual([`a line is at most ${promptLimits.line} characters`]);
    expect((parseCommand('frobnicate') as { hint: string }).hint).toContain(promptVerbs.join(', '));
  });

  it('resolves a step by its number as shown, or by name; anything else lists the steps', () => {
    const steps = [{ name: 'confirm' }, { name: 'scale-out' }, { name: '7' }];
    expect(resolveStep('2', steps)).toEqual({ step: { name: 'scale-out' } });
    expect(resolveStep('scale-out', steps)).toEqual({ step: { name: 'scale-out' } });
    // A step named like a number is found by its name first.
    expect(resolveStep('7', steps)).toEqual({ step: { name: '7' } });
    expect(resolveStep('0', steps)).toEqual({ problem: 'no step "0"; steps: 1 confirm, 2 scale-out, 3 7' });
    expect(resolveStep('4', steps)).toHaveProperty('problem');
  });
});

describe('the game-day injection window', () => {
  it('draws within the window for any random source, and the same draw for the same source', () => {
    fc.assert(
      fc.property(fc.nat(3_600_000), fc.nat(3_600_000), fc.double({ min: -1, max: 2, noNaN: false }), (a, b, r) => {
        const window = { fromMs: Math.min(a, b), toMs: Math.max(a, b) };
        const delay = injectionDelay(window, () => r);
        expect(delay).toBeGreaterThanOrEqual(window.fromMs);
        expect(delay).toBeLessThanOrEqual(window.toMs);
        expect(Number.isInteger(delay)).toBe(true);
        expect(injectionDelay(window, () => r)).toBe(delay);
      }),
    );
    expect(injectionDelay({ fromMs: 30_000, toMs: 120_000 }, () => 0)).toBe(30_000);
    expect(injectionDelay({ fromMs: 30_000, toMs: 120_000 }, () => 0.5)).toBe(75_000);
    expect(injectionDelay({ fromMs: 30_000, toMs: 120_000 }, () => 0.999999999)).toBe(120_000);
  });

  it('parses from..to with every problem at once', () => {
    expect(checkInjectWindow('30s..2m')).toEqual({ ok: true, window: { fromMs: 30_000, toMs: 120_000 } });
    expect(checkInjectWindow('0s..0s')).toEqual({ ok: true, window: { fromMs: 0, toMs: 0 } });
    expect(checkInjectWindow('2m..30s')).toEqual({ ok: false, problems: ['"2m..30s" ends (30s) before it starts (2m): write the earlier time first'] });
    expect(checkInjectWindow('soon..2h')).toEqual({ ok: false, problems: ['start: "soon" is not a duration', 'end: "2h" is out of range (allowed: 0ms to 1h)'] });
    expect(checkInjectWindow('30s')).toMatchObject({ ok: false });
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (t) => void checkInjectWindow(t)));
  });
});

describe('terminal control calls as a responder\'s', () => {
  it('maps each route to the agent tool of the same operation, with its tier', () => {
    expect(ctlCall('POST /scale', { agent: 'inventory', replicas: '+2' }, { inventory: 1 })).toEqual({ tool: 'ctl_scale', args: { agent: 'inventory', replicas: '+2' }, tier: 'act', op: 'scale' });
    expect(ctlCall('POST /scale', { agent: 'inventory', replicas: '-1' }, { inventory: 1 })!.tier).toBe('destructive');
    expect(ctlCall('POST /kill', { target: 'inventory-2' }, {})!.tier).toBe('destructive');
    expect(ctlCall('POST /reset-offsets', { agent: 'decision', to: 'earliest' }, {})!.tier).toBe('destructive');
    // ctl wait polls /eval: not a call of its own.
    expect(ctlCall('GET /eval', {}, {})).toBeUndefined();
  });

  it('a human drill needs a terminal on stdin: NOT_A_TERMINAL, exit 2, before anything starts', () => {
    const plans = [{ name: 'downstream-backlog', responder: { type: 'human' } }];
    expect(() => requireTerminal(plans, { isTTY: false })).toThrow(AgentdrillError);
    try {
      requireTerminal(plans, {});
    } catch (e) {
      expect((e as AgentdrillError).code).toBe('NOT_A_TERMINAL');
      expect(exitCodeForError((e as AgentdrillError).code)).toBe(2);
    }
    expect(() => requireTerminal(plans, { isTTY: true })).not.toThrow();
    expect(() => requireTerminal([{ name: 'x', responder: { type: 'script' } }], {})).not.toThrow();
  });
});

const step = (name: string, phase: PlannedStep['phase'], command: string | undefined, tier: PlannedStep['tier']): PlannedStep => ({ name, phase, lang: 'sh', command, manual: command === undefined, timeoutMs: undefined, line: 1, text: `${name} prose`, tier });
const steps = [
  step('confirm-api-latency', 'diagnose', 'curl -sS "$INVENTORY_API_URL/health"', 'read'),
  step('scale-out', 'respond', 'agentdrill ctl scale inventory +2', 'act'),
  step('lag-draining', 'verify', "agentdrill ctl wait 'lag(group=inventory) < 150'", 'read'),
  step('page-owner', 'escalate', undefined, 'act'),
];

function humanAtPrompt() {
  let now = 1_000_000;
  const clock = { now: () => (now += 10), sleep: () => Promise.resolve() };
  const journal = new Journal(clock);
  const context: ResponderContext = {
    journal,
    clock,
    progress: () => undefined,
    steps,
    failureMode: { id: 'downstream-backlog', title: 'Downstream backlog', alertRule: 'throughput(group=inventory) < 40/s for 3s', runbookFile: '/runbooks/order-pipeline.md' },
    policy: defaultPolicy,
    runStep: (s) => {
      journal.record('step.finished', { name: s.name, section: s.phase, command: s.command, manual: false, startedAt: now, endedAt: now, exitCode: 0, timedOut: false, output: 'ok' });
      return Promise.resolve({ exitCode: 0, output: 'ok', timedOut: false });
    },
    control: () => Promise.resolve({}),
    latestSample: () => undefined,
    evaluate: () => ({ holds: false, failing: [] }),
    instancesByAgent: () => ({ inventory: 1 }),
  };
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d: Buffer) => (shown += d.toString()));
  let interrupted = 0;
  const responder = new HumanResponder({ input, output, who: 'alice', interrupt: () => interrupted++ });
  const type = async (line: string) => {
    input.write(`${line}\n`);
    // Each line's action resolves on the next turns of the loop.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  return { responder, context, journal, type, shown: () => shown, interrupted: () => interrupted, input };
}

describe('the human responder at its prompt (streams for a terminal)', () => {
  it('ack, steps by number and name, a prose step done with a note, resolved: journaled with who, scored like an agent', async () => {
    const h = humanAtPrompt();
    await h.responder.start(h.context);
    await h.type('run 2');
    expect(h.shown()).toContain('no page yet');
    const response = h.responder.respond({ at: h.context.clock.now(), alert: 'throughput(group=inventory) < 40/s for 3s' }, new AbortController().signal);
    expect(h.shown()).toContain('\x07');
    expect(h.shown()).toContain('PAGED: Downstream backlog');
    expect(h.shown()).toContain('2. [respond] scale-out (act)');
    for (const line of ['ack', 'run 1', 'run scale-out', 'note lag is draining', 'run lag-draining', 'done page-owner paged Priya on the inventory API', 'bogus', 'resolved scaled inventory out, lag drained']) await h.type(line);
    await expect(response).resolves.toEqual({ verified: true });
    await h.responder.stop();
    const calls = eventsOfType(h.journal.events, 'responder.call').map((c) => [c.payload.tool, c.payload.outcome, c.payload.by]);
    expect(calls).toEqual([
      ['run_step', 'refused', 'alice at the prompt'],
      ['ack', 'ok', 'alice at the prompt'],
      ['run_step', 'ok', 'alice at the prompt'],
      ['run_step', 'ok', 'alice at the prompt'],
      ['post_note', 'ok', 'alice at the prompt'],
      ['run_step', 'ok', 'alice at the prompt'],
      ['mark_done', 'ok', 'alice at the prompt'],
      ['declare_resolved', 'ok', 'alice at the prompt'],
    ]);
    expect(h.shown()).toContain('"bogus" is not a prompt command');
    const t0 = 1_000_000;
    h.journal.record('recovered', { windowStartAt: t0 + 100, confirmedAt: t0 + 200 }, t0 + 200);
    const score = scoreResponder(h.journal.events, t0)!;
    expect(score).toMatchObject({ type: 'human', steps: { followed: ['confirm-api-latency', 'scale-out', 'lag-draining', 'page-owner'], skipped: [], added: [] }, violations: [], notes: ['lag is draining', 'page-owner: paged Priya on the inventory API'], summary: 'scaled inventory out, lag drained' });
    expect(score.ackMs).toBeGreaterThan(0);
    expect(score.unacknowledged).toBeUndefined();
  });

  it('never acknowledged, or "resolved" before the steady state returned: the drill fails, naming it', async () => {
    const h = humanAtPrompt();
    await h.responder.start(h.context);
    const drillOver = new AbortController();
    const response = h.responder.respond({ at: h.context.clock.now(), alert: 'a' }, drillOver.signal);
    drillOver.abort();
    await expect(response).resolves.toEqual({ verified: false });
    await h.responder.stop();
    const silent = scoreResponder(h.journal.events, 1_000_000)!;
    expect(responderFailures(silent)).toEqual(['never acknowledged the page (no ack, step or ctl after it)']);

    const eager = humanAtPrompt();
    await eager.responder.start(eager.context);
    void eager.responder.respond({ at: eager.context.clock.now(), alert: 'a' }, new AbortController().signal);
    await eager.type('ack');
    await eager.type('resolved all good');
    await eager.responder.stop();
    const early = scoreResponder(eager.journal.events, 1_000_000)!;
    expect(early.resolvedEarly).toMatch(/^declared resolved at \+[\d.]+ ?s, the steady state never returned$/);
    expect(responderFailures(early)).toEqual([early.resolvedEarly]);
  });

  it('Ctrl-C at the prompt is the drill\'s interrupt', async () => {
    const h = humanAtPrompt();
    await h.responder.start(h.context);
    h.input.write('\x03');
    await new Promise((r) => setImmediate(r));
    await h.responder.stop();
    expect(h.interrupted()).toBe(1);
  });
});
