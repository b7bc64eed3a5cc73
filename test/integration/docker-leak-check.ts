import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';

/**
 * Per test file: a container labelled agentdrill=1 that appeared during the file and is still
 * there after it fails that file, by name and drill id. The run-wide check in global-setup only
 * says that something leaked; this says which file did (a CI run once found six containers of an
 * earlier drill in a later file's own leak assertion). Skipped where no docker CLI answers.
 *
 * Files run two at a time, so each file labels its drills with its own run id (the run's, plus the
 * file's name): a container of the file running beside it is not this file's leak. The run-wide
 * check in global-setup claims every id under the run's.
 */
const runId = process.env.AGENTDRILL_TEST_RUN;
const testFile = expect.getState().testPath;
if (runId && testFile) {
  const slug = path.basename(testFile).replace(/\.test\.ts$/, '').replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80);
  process.env.AGENTDRILL_RUN_ID = `${runId}.${slug}`;
}

const list = (): Map<string, string> => {
  try {
    const out = execFileSync('docker', ['ps', '-a', '--filter', 'label=agentdrill=1', '--format', '{{.ID}} {{.Names}} drill={{.Label "agentdrill.drill"}} run={{.Label "agentdrill.run"}}'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 15_000,
    });
    // Another run's or another file's drills on the same engine are not this file's doing (AGENTDRILL_RUN_ID, set above).
    const ours = (line: string) => line.endsWith(' run=') || line.endsWith(` run=${process.env.AGENTDRILL_RUN_ID ?? ''}`);
    return new Map(out.split('\n').filter(Boolean).filter(ours).map((line) => [line.split(' ')[0]!, line] as const));
  } catch {
    return new Map();
  }
};

let before = new Map<string, string>();
beforeAll(() => {
  before = list();
});
afterAll(() => {
  const appeared = [...list()].filter(([id]) => !before.has(id)).map(([, line]) => line);
  expect(appeared, 'containers this file left behind (id name drill)').toEqual([]);
});
