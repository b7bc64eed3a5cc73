import { describe, expect, it } from 'vitest';
import { translateAddresses } from '../../src/fleet/container-launcher.ts';
import { agentsInContainers } from '../../src/core/settings.ts';

describe('container launcher', () => {
  it('rewrites host addresses as a container dials them, never a longer port', () => {
    const addresses = new Map([
      ['127.0.0.1:1234', 'd-kafka:19092'],
      ['127.0.0.1:4000', 'd-toxiproxy:4000'],
    ]);
    const env = { KAFKA_BROKERS: '127.0.0.1:1234', INVENTORY_API_URL: 'http://127.0.0.1:4000', OTHER: '127.0.0.1:12345', AGENT_ID: 'x' };
    expect(translateAddresses(env, addresses)).toEqual({
      KAFKA_BROKERS: 'd-kafka:19092',
      INVENTORY_API_URL: 'http://d-toxiproxy:4000',
      OTHER: '127.0.0.1:12345',
      AGENT_ID: 'x',
    });
  });

  it('AGENTDRILL_DOCKER_AGENTS picks containers by default, processes on request, and rejects anything else', () => {
    expect(agentsInContainers({})).toBe(true);
    expect(agentsInContainers({ AGENTDRILL_DOCKER_AGENTS: 'container' })).toBe(true);
    expect(agentsInContainers({ AGENTDRILL_DOCKER_AGENTS: 'process' })).toBe(false);
    expect(() => agentsInContainers({ AGENTDRILL_DOCKER_AGENTS: 'vm' })).toThrow(/not one of/);
  });
});
