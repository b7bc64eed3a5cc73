import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkClaims, claimSchema, type Claim, type PerformedAction } from '../../src/respond/claims.ts';
import { ctlEquivalent } from '../../src/respond/ctl-equivalent.ts';
import { decide, defaultPolicy, type ResponderPolicy } from '../../src/respond/policy.ts';
import { stepTier, tierRank, tiers, type Tier } from '../../src/respond/tiers.ts';
import { scalesToZero } from '../../src/respond/agent/act-tools.ts';

const agent = fc.constantFrom('inventory', 'decision', 'fulfillment');

describe('claims checked against what was done', () => {
  it('a claim is supported only by a call that did that very thing', () => {
    const scaled: PerformedAction = { label: 'ctl_scale inventory +2 at +5s', ctl: { op: 'scale', target: 'inventory', replicas: '+2' }, instancesAfter: { inventory: 3 } };
    const ranStep: PerformedAction = { label: 'run_step scale-out', step: { name: 'scale-out', exitCode: 0 }, ctl: { op: 'scale', target: 'inventory', replicas: '+2' }, instancesAfter: { inventory: 3 } };
    const failedStep: PerformedAction = { label: 'run_step lag-draining', step: { name: 'lag-draining', exitCode: 1 } };
    const claims: Claim[] = [
      { action: 'scale', target: 'inventory', replicas: 3 },
      { action: 'scale', target: 'inventory', replicas: '+2' },
      { action: 'scale', target: 'inventory' },
      { action: 'scale', target: 'inventory', replicas: 6 },
      { action: 'scale', target: 'decision' },
      { action: 'step', target: 'lag-draining' },
      { action: 'restart', target: 'inventory' },
    ];
    expect(checkClaims(claims, [scaled]).map((c) => c.supported)).toEqual([true, true, true, false, false, false, false]);
    expect(checkClaims(claims.slice(0, 3), [ranStep]).every((c) => c.supported)).toBe(true);
    // A step that ran and failed did not do what "ran step" claims, and says so.
    expect(checkClaims([{ action: 'step', target: 'lag-draining' }], [failedStep])[0]).toEqual({ claim: 'ran step lag-draining', supported: false, evidence: 'run_step lag-draining failed (exit 1)' });
  });

  it('with nothing done, every claim is unsupported and named; with nothing claimed, nothing fails (property)', () => {
    const claim = fc.record({ action: fc.constantFrom('step', 'restart', 'stop', 'kill'), target: agent }) as fc.Arbitrary<Claim>;
    fc.assert(
      fc.property(fc.array(claim, { maxLength: 8 }), (claims) => {
        const checked = checkClaims(claims, []);
        expect(checked.filter((c) => c.supported)).toEqual([]);
        expect(checked.map((c) => c.claim)).toEqual(claims.map((c) => (c.action === 'step' ? `ran step ${c.target}` : `${c.action} ${c.target}`)));
      }),
    );
    expect(checkClaims([], [{ label: 'x', ctl: { op: 'kill', target: 'inventory' } }])).toEqual([]);
  });

  it('a scale claim with a count matches the instances after the call, whatever change was asked (property)', () => {
    fc.assert(
      fc.property(agent, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), (target, before, added) => {
        const done: PerformedAction = { label: 'scale', ctl: { op: 'scale', target, replicas: `+${added}` }, instancesAfter: { [target]: before + added } };
        expect(checkClaims([{ action: 'scale', target, replicas: before + added }], [done])[0]!.supported).toBe(true);
        expect(checkClaims([{ action: 'scale', target, replicas: before + added + 1 }], [done])[0]!.supported).toBe(false);
      }),
    );
  });

  it('the claim form rejects unknown keys, unknown actions and replicas on anything but scale', () => {
    expect(claimSchema.safeParse({ action: 'scale', target: 'inventory', replicas: 3 }).success).toBe(true);
    expect(claimSchema.safeParse({ action: 'scale', target: 'inventory', note: 'x' }).success).toBe(false);
    expect(claimSchema.safeParse({ action: 'fix', target: 'inventory' }).success).toBe(false);
    expect(claimSchema.safeParse({ action: 'restart', target: 'inventory', replicas: 2 }).success).toBe(false);
  });
});

describe('permission tiers', () => {
  const tier = fc.constantFrom<Tier>(...tiers);
  const allow = fc.constantFrom<ResponderPolicy['allow']>('read', 'act', 'destructive');

  it('after the page: allowed exactly up to the declared tier, or when approved; otherwise a violation (property)', () => {
    fc.assert(
      fc.property(tier, allow, fc.boolean(), (t, a, approved) => {
        const policy: ResponderPolicy = { ...defaultPolicy, allow: a, approve: approved ? ['the-step'] : [] };
        const d = decide(policy, { name: 'the-step', tier: t, paged: true });
        const expected = tierRank(t) <= tierRank(a) || (t === 'destructive' && approved);
        expect(d.allowed).toBe(expected);
        if (!d.allowed) expect(d.violation).toBe(true);
      }),
    );
  });

  it('before the page: reading is fine, acting is refused but is no violation (property)', () => {
    fc.assert(
      fc.property(tier, allow, (t, a) => {
        const d = decide({ ...defaultPolicy, allow: a }, { name: 'x', tier: t, paged: false });
        if (t === 'read') expect(d.allowed).toBe(true);
        else expect(d).toMatchObject({ allowed: false, violation: false });
      }),
    );
  });

  it("a step's tier: its attribute, else destructive when guarded or destructive, else by phase", () => {
    expect(stepTier({ phase: 'respond', command: 'agentdrill ctl scale inventory +2', attributes: {} })).toBe('act');
    expect(stepTier({ phase: 'diagnose', command: 'agentdrill ctl status', attributes: {} })).toBe('read');
    expect(stepTier({ phase: 'respond', command: 'agentdrill ctl kill inventory', attributes: {} })).toBe('destructive');
    expect(stepTier({ phase: 'respond', command: 'rm -f "$STATE"', attributes: { guard: 'agent stopped' } })).toBe('destructive');
    expect(stepTier({ phase: 'respond', command: 'kafka-consumer-groups --reset-offsets --to-earliest --execute', attributes: {} })).toBe('destructive');
    expect(stepTier({ phase: 'verify', command: 'agentdrill ctl kill x', attributes: { tier: 'read' } })).toBe('read');
  });

  it('scaling to zero is told apart from scaling down', () => {
    expect(scalesToZero('0', 3)).toBe(true);
    expect(scalesToZero('-3', 3)).toBe(true);
    expect(scalesToZero('-2', 3)).toBe(false);
    expect(scalesToZero('+2', 1)).toBe(false);
  });

  it('a step made of one ctl call is that operation; a step that does more is only itself', () => {
    expect(ctlEquivalent('agentdrill ctl scale inventory +2')).toEqual({ op: 'scale', target: 'inventory', replicas: '+2' });
    expect(ctlEquivalent('agentdrill ctl restart decision --heap 512')).toEqual({ op: 'restart', target: 'decision' });
    expect(ctlEquivalent('agentdrill ctl stop decision && agentdrill ctl restart decision')).toBeUndefined();
    expect(ctlEquivalent("agentdrill ctl wait 'lag < 5'")).toBeUndefined();
  });
});
