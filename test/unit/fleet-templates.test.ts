import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTemplate } from '../../src/fleet/definition/references.ts';
import { parseTemplate, renderTemplate } from '../../src/fleet/definition/templates.ts';

const names = { topics: ['requests', 'booked'], groups: ['scorer'], dependencies: ['fraud-api'] };
const noDollar = fc.string({ maxLength: 40 }).filter((s) => !s.includes('$'));

describe('fleet templates', () => {
  it('leaves text without references as it is', () => {
    fc.assert(
      fc.property(noDollar, (s) => {
        expect(renderTemplate(s, () => 'X')).toEqual({ text: s, missing: [] });
      }),
    );
  });

  it('fills each reference with its value and keeps the text between them', () => {
    const ref = fc.constantFrom('kafka.bootstrap', 'topics.requests', 'deps.fraud-api.url', 'instance.id');
    fc.assert(
      fc.property(fc.array(fc.tuple(noDollar, ref), { maxLength: 6 }), noDollar, (pieces, tail) => {
        const written = pieces.map(([text, r]) => `${text}\${${r}}`).join('') + tail;
        const expected = pieces.map(([text, r]) => `${text}<${r}>`).join('') + tail;
        expect(renderTemplate(written, (p) => `<${p.ref}>`)).toEqual({ text: expected, missing: [] });
      }),
    );
  });

  it('writes $${ as a literal ${ and reports what it cannot fill instead of leaving it empty', () => {
    expect(renderTemplate('cost: $${price} at ${env.REGION:-eu}', (p) => (p.ref === 'env.REGION' ? undefined : 'x'))).toEqual({
      text: 'cost: ${price} at ',
      missing: [{ ref: 'env.REGION', column: 20, fallback: 'eu' }],
    });
    expect(parseTemplate('broker=${kafka.bootstrap').unclosed).toBe(8);
  });

  it('checks every reference against the declared names and the scope, with its column', () => {
    expect(checkTemplate('${kafka.bootstrap} ${topics.requests} ${groups.scorer} ${deps.fraud-api.port} ${env.TAG:-dev}', 'agent', names)).toEqual([]);
    const [typo] = checkTemplate('url=${deps.fraud-api.uri}', 'agent', names);
    expect(typo).toMatchObject({ column: 5, message: expect.stringContaining('names no dependency field') });
    expect(checkTemplate('${topics.bookd}', 'agent', names)[0]!.hint).toContain('did you mean "booked"');
    expect(checkTemplate('${dependency.port}', 'agent', names)[0]!.message).toContain("only known in a dependency's command");
    expect(checkTemplate('${instance.port}', 'dependency', names)[0]!.message).toContain("only known in an agent's command");
    expect(checkTemplate('${agent.stateDr}', 'agent', names)[0]!.hint).toContain('did you mean ${agent.stateDir}');
    expect(checkTemplate('${topics.requests:-x}', 'agent', names)[0]!.message).toContain('only env references take a fallback');
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => void checkTemplate(s, 'agent', names)));
  });
});
