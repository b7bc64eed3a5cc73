import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentdrillError } from '../../src/core/errors.ts';
import { loadFleetFile } from '../../src/fleet/definition/load.ts';
import { drillNames, resolveAgentCommand, resolveDependencyCommand, resolveValue } from '../../src/fleet/definition/resolve.ts';

const { fleet } = await loadFleetFile('examples/payments/fleet.yaml');
const at = { prefix: 'ad-1a2b3c-', bootstrap: '127.0.0.1:19092', deps: { 'fraud-api': { host: '127.0.0.1', port: 24001 } }, env: {} };
const slot = { id: 'scorer-2', index: 2, port: 23456, stateDir: '/tmp/w/state/scorer-2' };

describe('resolving a fleet for one drill', () => {
  it('gives each instance its drill-prefixed topics and groups, the proxy address and its own folder and port', () => {
    expect(drillNames(fleet, at.prefix)).toEqual({
      topics: { requests: 'ad-1a2b3c-payments.requests', scored: 'ad-1a2b3c-payments.scored', booked: 'ad-1a2b3c-payments.booked' },
      groups: { scorer: 'ad-1a2b3c-scorer', ledger: 'ad-1a2b3c-ledger' },
    });
    const scorer = resolveAgentCommand(fleet, 'scorer', slot, at);
    expect(scorer.cwd).toBe(path.resolve('examples/payments'));
    expect(scorer.argv).toEqual(['.build/bin/scorer']);
    expect(scorer.env).toEqual({
      KAFKA_BOOTSTRAP: '127.0.0.1:19092',
      IN_TOPIC: 'ad-1a2b3c-payments.requests',
      OUT_TOPIC: 'ad-1a2b3c-payments.scored',
      GROUP_ID: 'ad-1a2b3c-scorer',
      FRAUD_API_URL: 'http://127.0.0.1:24001',
      STATE_FILE: '/tmp/w/state/scorer-2/totals.json',
      INSTANCE_ID: 'scorer-2',
      METRICS_PORT: '23456',
    });
    expect(resolveDependencyCommand(fleet, 'fraud-api', { host: '127.0.0.1', port: 25000 }, at).env).toEqual({ FRAUD_API_PORT: '25000' });
  });

  it('takes the version under test from the environment, or the fallback', () => {
    const image = fleet.agents.scorer!.image!;
    expect(resolveValue(fleet, image, {}, at, 'agents.scorer.image')).toBe('agentdrill-example/payments-scorer:dev');
    expect(resolveValue(fleet, image, {}, { ...at, env: { SCORER_VERSION: '1.5.0' } }, 'agents.scorer.image')).toBe('agentdrill-example/payments-scorer:1.5.0');
  });

  it('refuses an unset variable without a fallback instead of starting an agent with an empty value', () => {
    try {
      resolveValue(fleet, 'acme/payments:${env.RELEASE_TAG}', {}, at, 'agents.scorer.image');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AgentdrillError);
      expect((e as AgentdrillError).code).toBe('FLEET_INVALID');
      expect((e as AgentdrillError).context.missing).toEqual(['env.RELEASE_TAG']);
    }
  });
});
