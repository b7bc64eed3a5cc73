import { z } from 'zod';

/**
 * What people type at the drill's prompt, one line each. The parser is total: any line becomes a
 * command or an `invalid` with every problem and what is allowed, so a typo at a game day costs
 * a message, never the drill.
 */
export type PromptCommand =
  | { kind: 'ack' }
  | { kind: 'run'; step: string }
  | { kind: 'done'; step: string; note: string | undefined }
  | { kind: 'note'; text: string }
  | { kind: 'resolved'; summary: string }
  | { kind: 'runbook' }
  | { kind: 'help' }
  | { kind: 'empty' }
  | { kind: 'invalid'; problems: string[]; hint: string };

export const promptVerbs = ['ack', 'run', 'done', 'note', 'resolved', 'runbook', 'help'] as const;

/** The same bounds as the agent's post_note and declare_resolved, so both journals hold alike. */
export const promptLimits = { line: 5000, note: 2000, summary: 4000, step: 200 } as const;

export const promptUsage = [
  'ack                      acknowledge the page',
  'run <n|step>             run a runbook step (its number or name) with the drill\'s environment',
  'done <n|step> [note]     mark a step done by hand (a prose step), with a note',
  'note <text>              a line for the timeline',
  'resolved <summary>       declare the incident resolved (ends your response)',
  'runbook                  show the failure mode\'s section again',
  'help                     this list',
];

const stepRef = z.string().min(1, 'needs a step: its number or name').max(promptLimits.step, `a step name is at most ${promptLimits.step} characters`);
const text = (what: string, max: number) => z.string().min(1, `needs ${what}`).max(max, `${what} is at most ${max} characters`);

const schemas = {
  ack: z.strictObject({ kind: z.literal('ack'), rest: z.literal('', 'takes nothing after it') }),
  run: z.strictObject({ kind: z.literal('run'), step: stepRef, extra: z.literal('', 'runs one step at a time: write one number or name') }),
  done: z.strictObject({ kind: z.literal('done'), step: stepRef, note: z.string().max(promptLimits.note, `a note is at most ${promptLimits.note} characters`) }),
  note: z.strictObject({ kind: z.literal('note'), text: text('a text', promptLimits.note) }),
  resolved: z.strictObject({ kind: z.literal('resolved'), summary: text('a summary', promptLimits.summary) }),
  runbook: z.strictObject({ kind: z.literal('runbook'), rest: z.literal('', 'takes nothing after it') }),
  help: z.strictObject({ kind: z.literal('help'), rest: z.string() }),
} as const;

export function parseCommand(line: string): PromptCommand {
  const trimmed = line.trim();
  if (trimmed === '') return { kind: 'empty' };
  if (trimmed.length > promptLimits.line) return invalid([`a line is at most ${promptLimits.line} characters`]);
  const space = trimmed.search(/\s/);
  const word = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : trimmed.slice(space).trim();
  const verb = word === '?' ? 'help' : word;
  if (!(promptVerbs as readonly string[]).includes(verb)) return invalid([`"${word}" is not a prompt command`]);
  // `rest` is trimmed, so its first word starts it.
  const first = rest.split(/\s+/)[0] ?? '';
  const afterFirst = rest.slice(first.length).trim();
  const written = {
    ack: { kind: 'ack', rest },
    run: { kind: 'run', step: first, extra: afterFirst },
    done: { kind: 'done', step: first, note: afterFirst },
    note: { kind: 'note', text: rest },
    resolved: { kind: 'resolved', summary: rest },
    runbook: { kind: 'runbook', rest },
    help: { kind: 'help', rest },
  }[verb as (typeof promptVerbs)[number]];
  const parsed = schemas[verb as (typeof promptVerbs)[number]].safeParse(written);
  if (!parsed.success) return invalid(parsed.error.issues.map((i) => `${verb}: ${i.message}`));
  const c = parsed.data;
  switch (c.kind) {
    case 'ack':
    case 'runbook':
    case 'help':
      return { kind: c.kind };
    case 'run':
      return { kind: 'run', step: c.step };
    case 'done':
      return { kind: 'done', step: c.step, note: c.note || undefined };
    case 'note':
      return { kind: 'note', text: c.text };
    case 'resolved':
      return { kind: 'resolved', summary: c.summary };
  }
}

function invalid(problems: string[]): PromptCommand {
  return { kind: 'invalid', problems, hint: `commands: ${promptVerbs.join(', ')} (help lists them)` };
}

/**
 * A step as written at the prompt: its number in the section as shown (1-based) or its name.
 * Unknown: the problem with every step allowed.
 */
export function resolveStep<S extends { name: string }>(ref: string, steps: readonly S[]): { step: S } | { problem: string } {
  const byName = steps.find((s) => s.name === ref);
  if (byName) return { step: byName };
  const n = /^\d+$/.test(ref) ? Number(ref) : NaN;
  if (n >= 1 && n <= steps.length) return { step: steps[n - 1]! };
  return { problem: `no step "${ref}"; steps: ${steps.map((s, i) => `${i + 1} ${s.name}`).join(', ')}` };
}
