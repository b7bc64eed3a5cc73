import { describe, expect, it } from 'vitest';
import { corruptJsonPlausibly } from '../../src/faults/plausible-json.ts';
import { decide, emptyDecisionState, loadDecisionState, saveJsonAtomic } from '../../src/reference-fleet/decision-state.ts';
import { availableFor } from '../../src/reference-fleet/messages.ts';
import { validateDecision } from '../../src/reference-fleet/validate.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const good = { seq: 7, sku: 'sku-01', qty: 3, ts: 1, available: 10, decision: 'accept', reserved: 5, stateVersion: 2 };

describe('fulfillment input validation', () => {
  it('accepts a well-formed, consistent decision', () => {
    expect(validateDecision(good)).toEqual([]);
    expect(validateDecision({ ...good, decision: 'reject', reserved: 0 })).toEqual([]);
  });

  it.each([
    ['not an object', 'x'],
    ['null', null],
    ['array', [good]],
    ['missing seq', { ...good, seq: undefined }],
    ['zero qty', { ...good, qty: 0 }],
    ['unknown decision', { ...good, decision: 'maybe' }],
    ['negative reserved', { ...good, reserved: -1 }],
    ['fractional reserved', { ...good, reserved: 1.5 }],
    ['string reserved', { ...good, reserved: '5' }],
    ['missing stateVersion', { ...good, stateVersion: undefined }],
    ['reserved above stock', { ...good, reserved: 11 }],
    ['accept reserving less than qty', { ...good, reserved: 2 }],
    ['empty sku', { ...good, sku: '' }],
  ])('rejects %s', (_name, input) => {
    expect(validateDecision(input).length).toBeGreaterThan(0);
  });
});

describe('decision state', () => {
  it('makes valid decisions from a clean state, rejecting once stock is reserved', () => {
    const state = emptyDecisionState();
    const sku = 'sku-03';
    const available = availableFor(sku);
    let accepted = 0;
    for (let seq = 1; seq <= 400; seq++) {
      const d = decide(state, { seq, sku, qty: 5, ts: 0, available });
      expect(validateDecision(d)).toEqual([]);
      if (d.decision === 'accept') accepted += 5;
    }
    expect(accepted).toBe(Math.floor(available / 5) * 5);
    expect(state.stateVersion).toBe(400);
  });

  it('a corrupted state file is trusted and yields decisions fulfillment rejects', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-unit-')), 'decision-1.json');
    const state = emptyDecisionState();
    decide(state, { seq: 1, sku: 'sku-01', qty: 1, ts: 0, available: 100 });
    saveJsonAtomic(file, state);
    expect(corruptJsonPlausibly(file)).toBeGreaterThan(0);
    const loaded = loadDecisionState(file)!;
    const d = decide(loaded, { seq: 2, sku: 'sku-01', qty: 1, ts: 0, available: 100 });
    expect(validateDecision(d)).not.toEqual([]);
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('no state file means a fresh start; an unreadable one throws', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-unit-'));
    expect(loadDecisionState(path.join(dir, 'none.json'))).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'bad.json'), '{not json');
    expect(() => loadDecisionState(path.join(dir, 'bad.json'))).toThrow();
    fs.rmSync(dir, { recursive: true });
  });
});
