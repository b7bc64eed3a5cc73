import { describe, expect, it } from 'vitest';
import { AgentdrillError } from '../../src/core/errors.ts';
import { prepareDrill } from '../../src/drill/prepare.ts';
import { scenarioVariant } from '../helpers/scenario-variant.ts';

const prepare = (edits: Record<string, unknown>, responder?: 'script' | 'agent') => prepareDrill({ scenarioFile: scenarioVariant('downstream-backlog', edits), ...(responder ? { responder } : {}) });

describe("the scenario's responder and --responder", () => {
  it('defaults to the script; the flag wins over the scenario; steps carry their tiers', async () => {
    expect((await prepare({})).plan.responder).toEqual({ type: 'script', policy: { allow: 'act', approve: [], tiers: {} } });
    const { plan } = await prepare({ responder: { type: 'script', approve: ['ctl_kill'], tiers: { 'scale-out': 'destructive' } } }, 'agent');
    expect(plan.responder).toEqual({ type: 'agent', policy: { allow: 'act', approve: ['ctl_kill'], tiers: { 'scale-out': 'destructive' } } });
    expect(plan.runbook.steps.map((s) => [s.name, s.tier])).toEqual([
      ['confirm-api-latency', 'read'],
      ['scale-out', 'act'],
      ['lag-draining', 'read'],
      ['escalate-1', 'act'],
      ['escalate-2', 'act'],
    ]);
    expect((await prepare({ responder: 'agent' })).plan.responder.type).toBe('agent');
  });

  it('rejects an unknown key or tier at its line, and an approval naming neither a step nor a tool', async () => {
    const bad = await prepare({ responder: { type: 'agent', allow: 'all', extra: 1 } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AgentdrillError);
    expect((bad as AgentdrillError).code).toBe('SCENARIO_INVALID');
    expect((bad as AgentdrillError).problems.map((p) => p.message)).toEqual(['responder.allow: "all" is not allowed', 'unknown key "extra" in responder']);
    const unknown = await prepare({ responder: { type: 'agent', approve: ['scale-outt'] } }).catch((e: unknown) => e);
    expect((unknown as AgentdrillError).message).toContain('"scale-outt" names no step');
    expect((unknown as AgentdrillError).hint).toContain('did you mean "scale-out"?');
  });

  it('approvalWait: a duration from 1 s to 30 m, carried into the policy', async () => {
    expect((await prepare({ responder: { type: 'agent', approvalWait: '2m' } })).plan.responder.policy.approvalWaitMs).toBe(120_000);
    for (const wait of ['0s', '2h', 'soon']) {
      const bad = await prepare({ responder: { type: 'agent', approvalWait: wait } }).catch((e: unknown) => e);
      expect((bad as AgentdrillError).code).toBe('SCENARIO_INVALID');
      expect((bad as AgentdrillError).problems.map((p) => p.message)).toContainEqual(expect.stringContaining('responder.approvalWait'));
    }
  });
});
