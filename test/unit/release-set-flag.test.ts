import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgentdrillError } from '../../src/core/errors.ts';
import { exitCodeForError } from '../../src/core/exit-codes.ts';
import { validateFleetText } from '../../src/fleet/definition/load.ts';
import { maxSetFlags, parseSetFlags, settablePaths } from '../../src/fleet/release/set-flag.ts';

/** The refusal `parseSetFlags` throws, checked to be a usage error (exit 2). */
function refusal(flags: string[]): AgentdrillError {
  try {
    parseSetFlags(flags);
  } catch (e) {
    expect(e).toBeInstanceOf(AgentdrillError);
    expect((e as AgentdrillError).code).toBe('USAGE');
    expect(exitCodeForError((e as AgentdrillError).code)).toBe(2);
    return e as AgentdrillError;
  }
  throw new Error(`accepted: ${flags.join(' ')}`);
}

const agentName = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/);
const envName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,30}$/).filter((n) => n !== '__proto__');

describe('--set <path>=<value>: parsing', () => {
  it('takes any environment value verbatim, "=" and all, under any agent and variable name', () => {
    fc.assert(
      fc.property(agentName, envName, fc.string({ unit: 'binary', maxLength: 300 }), (agent, name, value) => {
        const [o] = parseSetFlags([`agents.${agent}.command.env.${name}=${value}`]);
        expect(o).toEqual({ path: `agents.${agent}.command.env.${name}`, keys: ['agents', agent, 'command', 'env', name], written: value, value });
      }),
    );
  });

  it('takes replicas 1 to 32 as numbers and refuses any other, quoting the flag and the value', () => {
    fc.assert(
      fc.property(agentName, fc.integer({ min: -5, max: 200 }), (agent, n) => {
        const flag = `agents.${agent}.replicas=${n}`;
        if (n >= 1 && n <= 32) {
          expect(parseSetFlags([flag])[0]).toMatchObject({ value: n, written: String(n) });
          return;
        }
        const [problem] = refusal([flag]).problems;
        expect(problem).toMatchObject({ file: '--set', message: expect.stringContaining(`"${flag}"`) as unknown });
        expect(problem!.message).toContain(`"${n}" is not a whole number of instances from 1 to 32`);
      }),
    );
  });

  it('never fails on any input except with a usage problem that names the flag as written', () => {
    const piece = fc.constantFrom('agents', 'scorer', 'image', 'version', 'replicas', 'command', 'env', 'X', 'load', 'rate', '', '__proto__', 'ünï', '=');
    const flag = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.tuple(fc.array(piece, { maxLength: 6 }), fc.string({ maxLength: 12 })).map(([keys, value]) => `${keys.join('.')}=${value}`));
    fc.assert(
      fc.property(flag, (f) => {
        try {
          const [o] = parseSetFlags([f]);
          // Whatever was accepted is one of the settable shapes, holding what followed the first "=".
          expect(settablePaths.some((p) => new RegExp(`^${p.replace(/<[a-z]+>/gi, '[^.]+').replace(/\./g, '\\.')}$`).test(o!.path))).toBe(true);
          expect(f).toBe(`${o!.path}=${o!.written}`);
        } catch (e) {
          expect((e as AgentdrillError).code).toBe('USAGE');
          expect((e as AgentdrillError).problems[0]!.message.startsWith(JSON.stringify(f))).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('normalizes each settable path: image and version as text, replicas and rates as numbers', () => {
    const parsed = parseSetFlags(['agents.scorer.image=acme/scorer:1.5.0', 'agents.scorer.version=1.5.0-rc.1', 'agents.scorer.replicas=3', 'load.rate=80/s', 'agents.ledger.command.env.LEDGER_VERSION=2.0']);
    expect(parsed.map((o) => [o.path, o.value])).toEqual([
      ['agents.scorer.image', 'acme/scorer:1.5.0'],
      ['agents.scorer.version', '1.5.0-rc.1'],
      ['agents.scorer.replicas', 3],
      ['load.rate', 80],
      ['agents.ledger.command.env.LEDGER_VERSION', '2.0'],
    ]);
  });

  it('keeps the last of two flags on one path, as later flags win on a command line', () => {
    expect(parseSetFlags(['agents.scorer.replicas=2', 'load.rate=10', 'agents.scorer.replicas=4']).map((o) => [o.path, o.value])).toEqual([
      ['load.rate', 10],
      ['agents.scorer.replicas', 4],
    ]);
  });

  it('refuses unknown keys naming the allowed paths and the closest key; every bad flag at once', () => {
    const error = refusal(['agents.scorer.imag=acme/scorer:1.5.0', 'lod.rate=10', 'agents.scorer.command.argv=x', 'agents.scorer=x', 'agents.Scorer.image=x', 'replicas']);
    expect(error.problems.map((p) => p.message)).toEqual([
      '"agents.scorer.imag=acme/scorer:1.5.0": unknown key "imag" in agents.scorer',
      '"lod.rate=10": unknown key "lod" at the top',
      '"agents.scorer.command.argv=x": unknown key "argv" in agents.scorer.command',
      '"agents.scorer=x": agents.scorer is a section, not a value',
      '"agents.Scorer.image=x": "Scorer" is not an agent name',
      '"replicas": expected <path>=<value>',
    ]);
    expect(error.problems[0]!.hint).toBe(`settable: ${settablePaths.join(', ')} (did you mean "image"?)`);
    expect(error.problems[1]!.hint).toContain('(did you mean "load"?)');
    expect(error.message).toBe('6 invalid --set flags; nothing was started');
  });

  it('refuses bad values with the fleet file’s own rules: a rate past the load generator, an empty image, a two-line version', () => {
    const error = refusal(['load.rate=50000/s', 'agents.scorer.image=', 'agents.scorer.version=1.5\n0']);
    expect(error.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^"load\.rate=50000\/s": load\.rate: the harness's load generator sends at most \d+\/s$/),
      '"agents.scorer.image=": agents.scorer.image: expected an image such as acme/scorer:1.5.0',
      expect.stringContaining('agents.scorer.version: one line of printable text'),
    ]);
  });

  it(`takes at most ${maxSetFlags} flags`, () => {
    expect(refusal(Array.from({ length: maxSetFlags + 1 }, (_, i) => `agents.a${i}.replicas=1`)).problems[0]!.message).toContain(`at most ${maxSetFlags}`);
  });
});

describe('--set against a fleet file', () => {
  const example = readFileSync('examples/payments/fleet.yaml', 'utf8');
  const file = path.join(os.tmpdir(), 'agentdrill-unbuilt-example', 'fleet.yaml');
  // The stand-in's python3 and the setup's node are looked up on PATH; nothing else of the harness's environment.
  const env = { PATH: process.env.PATH };
  const fleetProblems = (flags: string[]) => {
    try {
      validateFleetText(example, file, env, parseSetFlags(flags));
    } catch (e) {
      expect((e as AgentdrillError).code).toBe('FLEET_INVALID');
      return [...(e as AgentdrillError).problems];
    }
    throw new Error('accepted');
  };

  it('writes each value in before the file is checked', () => {
    const { fleet } = validateFleetText(example, file, env, parseSetFlags(['agents.scorer.image=acme/scorer:1.5.0', 'agents.scorer.replicas=3', 'agents.ledger.command.env.LEDGER_VERSION=2.0', 'load.rate=80/s', 'agents.ledger.version=2.0']));
    expect(fleet.agents.scorer).toMatchObject({ image: 'acme/scorer:1.5.0', replicas: 3 });
    expect(fleet.agents.ledger).toMatchObject({ version: '2.0', command: { env: expect.objectContaining({ LEDGER_VERSION: '2.0', GROUP_ID: '${groups.ledger}' }) as unknown } });
    expect(fleet.load.ratePerSec).toBe(80);
  });

  it('names the flag, not a line of the file, for an agent the fleet lacks or a reference it cannot fill', () => {
    const found = fleetProblems(['agents.scorre.replicas=3', 'agents.scorer.image=acme/${topics.nope}:1']);
    expect(found).toEqual([
      { file: '--set', message: '"agents.scorre.replicas=3": fleet payments has no agent "scorre"', hint: 'agents: scorer, ledger (did you mean "scorer"?)' },
      expect.objectContaining({ file: '--set', message: '"agents.scorer.image=acme/${topics.nope}:1": agents.scorer.image: "${topics.nope}" names an unknown topic "nope"' }),
    ]);
    expect(found.every((p) => p.line === undefined)).toBe(true);
    // Checked once the file is whole, with the environment the drill starts in.
    expect(fleetProblems(['agents.ledger.version=${env.LEDGER_BUILD}'])).toEqual([
      expect.objectContaining({ file: '--set', message: '"agents.ledger.version=${env.LEDGER_BUILD}": agents.ledger.version uses ${env.LEDGER_BUILD}, which is not set' }),
    ]);
  });

  it('refuses an environment for an agent that has only an image', () => {
    const imageOnly = example.replace(/( {2}ledger:\n.*\n)( {4}command:\n(?: {6}.*\n)+)/, '$1');
    expect(imageOnly).not.toBe(example);
    const error = (() => {
      try {
        validateFleetText(imageOnly, file, env, parseSetFlags(['agents.ledger.command.env.X=1']));
      } catch (e) {
        return e as AgentdrillError;
      }
      throw new Error('accepted');
    })();
    expect(error.problems).toEqual([expect.objectContaining({ file: '--set', message: '"agents.ledger.command.env.X=1": agent "ledger" has no command, so it has no environment to set' })]);
  });
});
