import { z } from 'zod';
import { claimSchema } from '../claims.ts';
import type { ResponderContext } from '../responder.ts';
import { defineTool, type ToolSpec } from './tool.ts';
import { describeSample, metricsWindow } from './metrics-view.ts';

/** What the read tools need beyond the drill's context: the page, and where "resolved" goes. */
export interface PageState {
  pagedAt: () => number | undefined;
  resolve: (declared: { summary: string; claims: z.output<typeof claimSchema>[] }) => void;
}

/** Tools that change nothing in the fleet: the page, the runbook, the metrics, notes, "resolved". */
export function readTools(context: ResponderContext, page: PageState): ToolSpec[] {
  const read = (name: string) => () => ({ name, tier: 'read' as const });
  return [
    defineTool({
      name: 'read_page',
      title: 'Read the page',
      description: 'Whether you have been paged, by which alert, for which failure mode, and the fleet now (lag, throughput, members per consumer group; instances and memory).',
      input: {},
      hints: { readOnlyHint: true },
      tier: read('read_page'),
      run: () => {
        const at = page.pagedAt();
        const latest = context.latestSample();
        const now = context.clock.now();
        return Promise.resolve({
          result: {
            paged: at !== undefined,
            ...(at === undefined ? {} : { pagedAt: new Date(at).toISOString(), secondsSincePage: Math.round((now - at) / 100) / 10 }),
            alert: context.failureMode.alertRule,
            failureMode: { id: context.failureMode.id, title: context.failureMode.title },
            runbook: context.failureMode.runbookFile,
            instances: context.instancesByAgent(),
            fleet: latest ? describeSample(latest.sample, (now - latest.at) / 1000) : null,
          },
        });
      },
    }),
    defineTool({
      name: 'read_runbook',
      title: 'Read the runbook section',
      description: "The failure mode's section of the team's runbook: each step's name, phase, command, the prose around it, and the permission tier it needs; and what this drill permits you.",
      input: {},
      hints: { readOnlyHint: true },
      tier: read('read_runbook'),
      run: () =>
        Promise.resolve({
          result: {
            failureMode: context.failureMode,
            steps: context.steps.map((s) => ({ name: s.name, phase: s.phase, tier: context.policy.tiers[s.name] ?? s.tier, command: s.command ?? null, manual: s.manual, text: s.text })),
            permissions: { allow: context.policy.allow, approved: context.policy.approve, note: 'destructive actions need an approval; anything above what is allowed is refused and fails the drill' },
          },
        }),
    }),
    defineTool({
      name: 'query_metrics',
      title: 'Query the sampled metrics',
      description: 'The fleet as sampled over the last seconds (one point per second at most): per consumer group lag and throughput, per agent instances up. With `condition` (the rule grammar, e.g. "lag(group=inventory) < 150"), whether it holds now.',
      input: {
        lastSeconds: z.number().int().min(1).max(600).default(30),
        condition: z.string().min(1).max(500).optional(),
      },
      hints: { readOnlyHint: true },
      tier: read('query_metrics'),
      run: (args) => {
        const now = context.clock.now();
        const latest = context.latestSample();
        const condition = args.condition === undefined ? {} : { condition: latest ? { rule: args.condition, ...context.evaluate(args.condition, latest.sample) } : { rule: args.condition, holds: false, failing: ['no sample yet'] } };
        return Promise.resolve({ result: { points: metricsWindow(context.journal, now, args.lastSeconds * 1000), ...condition } });
      },
    }),
    defineTool({
      name: 'post_note',
      title: 'Post a note',
      description: "A line for the incident timeline (what you see, what you decided); it goes into the drill's journal and report.",
      input: { text: z.string().min(1).max(2000) },
      tier: read('post_note'),
      run: (args) => {
        context.journal.record('responder.note', { text: args.text });
        return Promise.resolve({ result: { noted: true } });
      },
    }),
    defineTool({
      name: 'declare_resolved',
      title: 'Declare the incident resolved',
      description:
        'Ends your response: a summary for people, and `claims`, one per action you took ({action: "step", target: "<step name>"}, {action: "scale", target: "<agent>", replicas: 3}, {action: "restart"|"stop"|"kill", target: "<agent or instance>"}). Each claim is checked against the calls the drill recorded; a claim with no matching call fails the drill.',
      input: { summary: z.string().min(1).max(4000), claims: z.array(claimSchema).max(50).default([]) },
      tier: read('declare_resolved'),
      run: (args) => {
        page.resolve({ summary: args.summary, claims: args.claims });
        return Promise.resolve({ result: { resolved: true, claims: args.claims.length } });
      },
    }),
  ];
}
