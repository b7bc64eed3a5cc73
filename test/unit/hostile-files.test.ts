import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentdrillError } from '../../src/core/errors.ts';
import { fileLimits, readUserBytes, readUserFile, readUserFileSync } from '../../src/core/user-file.ts';
import { loadRunbook } from '../../src/runbook/load.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { validateScenarioText } from '../../src/scenario/validate.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * Devices and oversized files, read in-process. FIFOs are in test/e2e/hostile-input.test.ts: a
 * regression there blocks a thread, which only a child process can be killed out of.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
// Copies live in a temp folder: the fleet file by its absolute path.
const shipped = readFileSync(path.join(root, 'scenarios', 'downstream-backlog.yaml'), 'utf8').replace('fleet: ../examples/', `fleet: ${root}/examples/`);
const dir = tempDir('agentdrill-files-');

async function refusal(read: Promise<unknown>): Promise<{ code: string; reason: unknown }> {
  const e = await read.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AgentdrillError);
  return { code: (e as AgentdrillError).code, reason: (e as AgentdrillError).context.reason };
}

describe('user files: only regular files, only up to their cap', () => {
  const options = { kind: 'runbook', maxBytes: 1024 };

  it('/dev/zero is refused at once as a device, not read for its size, nor "not found"', { timeout: 3000 }, async () => {
    expect(await refusal(readUserFile('/dev/zero', options))).toEqual({ code: 'INPUT_UNREADABLE', reason: 'not-a-file' });
    expect(await refusal(readUserBytes('/dev/zero', options))).toEqual({ code: 'INPUT_UNREADABLE', reason: 'not-a-file' });
    expect(() => readUserFileSync('/dev/zero', options)).toThrow(expect.objectContaining({ code: 'INPUT_UNREADABLE', context: expect.objectContaining({ reason: 'not-a-file' }) as unknown }));
  });

  it('a folder, a missing file and one over the cap say which', { timeout: 3000 }, async () => {
    const big = path.join(dir, 'big.md');
    writeFileSync(big, 'x'.repeat(2048));
    expect((await refusal(readUserFile(dir, options))).reason).toBe('folder');
    expect((await refusal(readUserFile(path.join(dir, 'nope.md'), options))).reason).toBe('missing');
    expect((await refusal(readUserFile(big, options))).reason).toBe('too-large');
    expect(() => readUserFileSync(big, options)).toThrow(expect.objectContaining({ context: expect.objectContaining({ reason: 'too-large' }) as unknown }));
  });

  it('the checksum reader returns the bytes as stored', async () => {
    const bom = path.join(dir, 'bom.md');
    writeFileSync(bom, Buffer.from([0xef, 0xbb, 0xbf, 0x23, 0xff]));
    expect([...(await readUserBytes(bom, options))]).toEqual([0xef, 0xbb, 0xbf, 0x23, 0xff]);
  });
});

describe('scenarios and runbooks keep their codes', () => {
  it('a scenario or a runbook that is a device: SCENARIO_NOT_FOUND / RUNBOOK_NOT_FOUND, exit 2', { timeout: 3000 }, async () => {
    expect((await refusal(loadScenario('/dev/zero'))).code).toBe('SCENARIO_NOT_FOUND');
    expect((await refusal(loadRunbook('/dev/zero'))).code).toBe('RUNBOOK_NOT_FOUND');
  });

  it('a runbook over its cap is refused before it is parsed', { timeout: 3000 }, async () => {
    const big = path.join(dir, 'huge.md');
    writeFileSync(big, '['.repeat(fileLimits.runbook + 1));
    expect(await refusal(loadRunbook(big))).toEqual({ code: 'RUNBOOK_NOT_FOUND', reason: 'too-large' });
  });

  it("a scenario whose runbook is a device: a problem at the scenario's runbook line", { timeout: 3000 }, () => {
    const text = shipped.replace(/^runbook: .*$/m, 'runbook: /dev/zero#downstream-backlog');
    const line = text.split('\n').findIndex((l) => l.startsWith('runbook:')) + 1;
    try {
      validateScenarioText(text, path.join(dir, 's.yaml'));
      throw new Error('accepted');
    } catch (e) {
      expect((e as AgentdrillError).code).toBe('SCENARIO_INVALID');
      expect((e as AgentdrillError).problems[0]).toMatchObject({ line });
    }
  });

  it("a scenario whose runbook nests too deeply: the runbook's own line", { timeout: 3000 }, () => {
    const runbook = path.join(dir, 'deep.md');
    writeFileSync(runbook, `# T\n\n${'>'.repeat(5000)} x\n`);
    const text = shipped.replace(/^runbook: .*$/m, `runbook: ${runbook}#downstream-backlog`);
    try {
      validateScenarioText(text, path.join(dir, 's.yaml'));
      throw new Error('accepted');
    } catch (e) {
      expect((e as AgentdrillError).code).toBe('SCENARIO_INVALID');
      expect((e as AgentdrillError).problems[0]).toMatchObject({ file: runbook, line: 3 });
    }
  });
});
