import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { staleAgentImages, type LocalImage } from '../../src/infra/docker/images/prune.ts';

const image = fc
  .record({
    repository: fc.constantFrom('agentdrill/agent', 'agentdrill/kafka', 'agentdrill/base', 'agentdrill/toxiproxy'),
    tag: fc.stringMatching(/^[0-9a-f]{12}$/),
    second: fc.integer({ min: 0, max: 86_399 }),
  })
  .map(({ repository, tag, second }): LocalImage => {
    const t = new Date(Date.UTC(2026, 10, 23) + second * 1000).toISOString().replace('T', ' ').slice(0, 19);
    return { ref: `${repository}:${tag}`, repository, createdAt: `${t} +0000 UTC` };
  });

describe('staleAgentImages', () => {
  it('returns only agent images, all older than every kept one, and keeps exactly `keep` of them', () => {
    fc.assert(
      fc.property(fc.uniqueArray(image, { selector: (i) => i.ref, maxLength: 12 }), fc.integer({ min: 0, max: 5 }), (images, keep) => {
        const agents = images.filter((i) => i.repository === 'agentdrill/agent');
        const stale = staleAgentImages(images, keep);
        expect(stale.every((ref) => ref.startsWith('agentdrill/agent:'))).toBe(true);
        expect(stale.length).toBe(Math.max(0, agents.length - keep));
        const kept = agents.filter((a) => !stale.includes(a.ref));
        const byRef = new Map(images.map((i) => [i.ref, i]));
        for (const ref of stale) for (const k of kept) expect(byRef.get(ref)!.createdAt <= k.createdAt).toBe(true);
      }),
    );
  });

  it('keeps the newest three by creation time, whatever order the engine lists them in', () => {
    const at = (h: number) => `2026-11-23 ${String(h).padStart(2, '0')}:00:00 +0000 UTC`;
    const images = [1, 5, 3, 4, 2].map((h) => ({ ref: `agentdrill/agent:${h}`, repository: 'agentdrill/agent', createdAt: at(h) }));
    expect(staleAgentImages(images, 3).sort()).toEqual(['agentdrill/agent:1', 'agentdrill/agent:2']);
  });
});
