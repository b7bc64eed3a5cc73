import type { EventPayloads } from '../core/events.ts';
import { describeWarmupGroups } from '../detect/warmup.ts';
import { parseRule } from '../detect/parse-rule.ts';
import { inConditionUnit } from '../detect/rule.ts';
import { describeLoad } from '../observe/machine-load.ts';
import { formatSeconds } from './format.ts';

type BaselineFailure = Pick<EventPayloads['baseline.unhealthy'], 'longestHoldMs' | 'failing' | 'load'>;

/**
 * Why a baseline never held, from its figures: each failing condition with how often it failed
 * and its last values in the condition's own unit, the longest hold, and the machine's load.
 */
export function describeBaselineFailure(f: BaselineFailure): string {
  const conditions = f.failing.map((c) => {
    const values = c.lastValues.map((v) => (v === null ? 'no data' : shown(c.condition, v))).join(', ');
    return `${c.condition} failed ${c.failedSamples} of ${c.samples} samples (last: ${values || 'none'})`;
  });
  const what = conditions.length > 0 ? conditions.join('; ') : 'no sample was evaluated';
  return `${what}; longest hold ${formatSeconds(f.longestHoldMs)}; ${describeLoad(f.load)}`;
}

export function describeWarmupFailure(w: EventPayloads['warmup.finished']): string {
  const groups = describeWarmupGroups(w.groups);
  return `warm-up did not finish within ${formatSeconds(w.limitMs)}: ${groups.length ? groups.join('; ') : 'no group was sampled'}; ${describeLoad(w.load)}`;
}

/** A condition's value as the condition writes it ("140MB", "45/s"); the raw number if the text no longer parses. */
function shown(condition: string, value: number): string {
  const parsed = parseRule(condition);
  const c = parsed.ok ? parsed.rule.conditions[0] : undefined;
  return c ? inConditionUnit(c, value) : String(value);
}
