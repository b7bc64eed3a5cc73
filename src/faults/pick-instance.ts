/** Which running instance a fault hits: the n-th in start order (1-based), or one drawn at random. */
export type InstanceChoice = number | 'random';

/**
 * `random` is the drill's injected source (uniform in [0, 1)), so a test can fix the draw and a
 * journal can say which one it was. Undefined when there is no such instance.
 */
export function pickInstance<T>(running: readonly T[], choice: InstanceChoice, random: () => number): { instance: T; position: number } | undefined {
  const index = choice === 'random' ? Math.min(running.length - 1, Math.max(0, Math.floor(random() * running.length))) : choice - 1;
  const instance = running[index];
  return instance === undefined ? undefined : { instance, position: index + 1 };
}
