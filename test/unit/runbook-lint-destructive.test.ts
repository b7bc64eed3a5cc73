import { describe, expect, it } from 'vitest';
import { destructiveAction } from '../../src/runbook/lint/rules/destructive-unguarded.ts';
import { cleanRunbook, edit, lint, lineOf } from '../fixtures/runbooks/lint-helpers.ts';

describe('destructive-unguarded', () => {
  it('passes an offset reset with a guard attribute', () => {
    expect(lint(cleanRunbook, 'destructive-unguarded')).toEqual([]);
  });

  it('flags the same reset without the guard, at the command', () => {
    const text = edit(cleanRunbook, ' guard="lag still above 500 five minutes after scale-out, and the inventory API owner agreed"', '');
    expect(lint(text, 'destructive-unguarded')).toMatchObject([{ line: lineOf(text, 'kafka-consumer-groups --bootstrap'), column: 1, severity: 'error' }]);
  });

  it('flags a bare guard flag, asking what to confirm', () => {
    const text = edit(cleanRunbook, 'guard="lag still above 500 five minutes after scale-out, and the inventory API owner agreed"', 'guard');
    expect(lint(text, 'destructive-unguarded')[0]!.hint).toContain('guard="');
  });

  it('knows the destructive commands and leaves the rest alone', () => {
    const destructive = [
      'kafka-consumer-groups --group g --reset-offsets --to-earliest --execute',
      'kafka-topics.sh --delete --topic t',
      'rm -rf /tmp/x',
      'rm -r -f x',
      'kill -9 123',
      'agentdrill ctl kill inventory',
      'agentdrill ctl scale inventory 0',
      'kubectl scale deploy/x --replicas=0',
      'kubectl delete pod x',
    ];
    for (const c of destructive) expect(destructiveAction(c.split(' ')), c).toBeDefined();
    const safe = ['kafka-consumer-groups --group g --reset-offsets --to-earliest --dry-run', 'rm x.tmp', 'agentdrill ctl scale inventory 3', 'kubectl get pods'];
    for (const c of safe) expect(destructiveAction(c.split(' ')), c).toBeUndefined();
  });
});
