import { AgentdrillError } from '../core/errors.ts';

/** Upper bound on replicas of one agent: a 2-core machine has no use for more. */
export const maxReplicas = 16;

/**
 * The target replica count for `scale`: a number or "3" is absolute, "+2" / "-1" is relative to
 * `current` (a relative result below 0 is 0). Anything else is a usage error.
 */
export function parseScaleTarget(requested: number | string, current: number): number {
  const text = String(requested).trim();
  // A number is always absolute: -1 as a number is a mistake, not "one fewer".
  const pattern = typeof requested === 'number' ? /^()(\d+)$/ : /^([+-]?)(\d+)$/;
  const match = pattern.exec(text);
  if (!match) {
    throw new AgentdrillError('USAGE', `invalid replica count "${text}"`, {
      hint: 'give an absolute count like 3, or a change like +2 or -1',
    });
  }
  const n = Number(match[2]);
  const target = match[1] === '+' ? current + n : match[1] === '-' ? current - n : n;
  if (target > maxReplicas) {
    throw new AgentdrillError('USAGE', `cannot scale to ${target} replicas (at most ${maxReplicas})`, {
      hint: `ask for ${maxReplicas} or fewer`,
    });
  }
  return Math.max(0, target);
}
