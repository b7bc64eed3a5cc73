import { describe, expect, it } from 'vitest';
import { cleanRunbook, edit, lint, lineOf } from '../fixtures/runbooks/lint-helpers.ts';

describe('command-not-found', () => {
  it('passes the drill commands, commands on PATH, builtins and functions the step defines', () => {
    expect(lint(cleanRunbook, 'command-not-found')).toEqual([]);
    const text = edit(cleanRunbook, 'agentdrill ctl scale inventory +2', 'up() { agentdrill ctl scale inventory +2; }\nup && cd /tmp && echo done | curl -d @- x');
    expect(lint(text, 'command-not-found')).toEqual([]);
  });

  it('flags a command missing from PATH at its column, behind sudo too', () => {
    const text = edit(cleanRunbook, 'agentdrill ctl scale inventory +2', 'kubectl scale deploy/inventory --replicas=3 && sudo ssh x');
    const line = lineOf(text, 'kubectl scale');
    expect(lint(text, 'command-not-found').map((f) => [f.line, f.column, f.message])).toEqual([
      [line, 1, 'command "kubectl" (backlog › respond) is not on PATH'],
      [line, 48, 'command "sudo" (backlog › respond) is not on PATH'],
    ]);
  });

  it('suggests the drill\'s name for a Kafka tool written with .sh', () => {
    const text = edit(cleanRunbook, 'agentdrill ctl scale inventory +2', 'kafka-topics.sh --list');
    expect(lint(text, 'command-not-found')[0]!.hint).toContain('write kafka-topics');
  });
});
