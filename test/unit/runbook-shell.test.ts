import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectiveWords, scanShell } from '../../src/runbook/lint/shell.ts';

describe('scanShell', () => {
  it('splits simple commands, removes quotes, and keeps positions', () => {
    const scan = scanShell('curl -sS "$URL/health" 2>&1 >/dev/null && echo \'$NOT\'\nkubectl get pods | grep x');
    expect(scan.commands.map((c) => c.words.map((w) => w.text))).toEqual([['curl', '-sS', '$URL/health'], ['echo', '$NOT'], ['kubectl', 'get', 'pods'], ['grep', 'x']]);
    expect(scan.commands[0]!.redirects.map((w) => w.text)).toEqual(['/dev/null']);
    expect(scan.commands[3]!.piped).toBe(true);
    expect(scan.variables.map((v) => [v.text, v.line, v.column])).toEqual([['URL', 0, 10]]);
  });

  it('records assignments, loop variables, functions, defaults, nested commands and skips heredocs and comments', () => {
    const scan = scanShell('export A=1 B\nX=$(date) # $C\nfor p in 1 2; do kill $p; done\nf() { echo "${D:-x}"; }\ncat <<EOF\n$E\nEOF\n');
    expect([...scan.assigned].sort()).toEqual(['A', 'B', 'X', 'p']);
    expect([...scan.functions]).toEqual(['f']);
    expect(scan.variables.map((v) => [v.text, v.hasDefault])).toEqual([['p', false], ['D', true]]);
    expect(scan.commands.find((c) => c.words[0]?.text === 'date')?.nested).toBe(true);
    expect(scan.commands.map((c) => c.words[0]?.text)).toEqual(['export', 'date', 'kill', 'f', 'echo', 'cat']);
  });

  it('sees through wrappers to the command that runs', () => {
    const words = scanShell('sudo -E timeout 5s env A=1 rm -rf x').commands[0]!.words;
    expect(effectiveWords(words).map((w) => w.text)).toEqual(['rm', '-rf', 'x']);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '$', '{', '}', '(', ')', '"', "'", '\\', '\n', '<', '>', '|', '&', ';', '`', '#', '=', '-') }), (text) => {
        scanShell(text);
      }),
      { numRuns: 500 },
    );
  }, 30_000);
});
