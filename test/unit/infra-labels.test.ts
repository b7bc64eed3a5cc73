import { describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { drillLabels, labelFilter } from '../../src/infra/docker/labels.ts';

describe('drill labels', () => {
  it('carry the run a drill belongs to only when AGENTDRILL_RUN_ID names one', () => {
    expect(drillLabels({ drillId: 'd1' })).toEqual({ agentdrill: '1', 'agentdrill.drill': 'd1' });
    expect(drillLabels({ drillId: 'd1', runId: 'ci-4711' })).toEqual({ agentdrill: '1', 'agentdrill.drill': 'd1', 'agentdrill.run': 'ci-4711' });
    expect(settingsFromEnv({ AGENTDRILL_RUN_ID: 'ci-4711' }).docker.runId).toBe('ci-4711');
    expect(settingsFromEnv({}).docker.runId).toBeUndefined();
  });

  it('refuses a run id that is no label value (USAGE, exit 2)', () => {
    expect(() => settingsFromEnv({ AGENTDRILL_RUN_ID: 'has space' })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => settingsFromEnv({ AGENTDRILL_RUN_ID: 'x'.repeat(129) })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('select one drill, one run, or everything agentdrill made', () => {
    expect(labelFilter('d1')).toBe('label=agentdrill.drill=d1');
    expect(labelFilter({ runId: 'ci-4711' })).toBe('label=agentdrill.run=ci-4711');
    expect(labelFilter()).toBe('label=agentdrill=1');
  });
});
