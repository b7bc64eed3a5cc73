#!/usr/bin/env -S node --max-semi-space-size=2
// Runs the sources from a bundle made on first use under a hash of them (cli-bundle.mjs), so
// `npx agentdrill` works right after `npm ci` with no build step that could drift from the code
// under test. Should the bundle not build (a read-only install), tsx runs the sources instead.
//
// The young generation is kept small (2 MB semi-spaces; Node's default lets it grow to 16): the
// harness lives beside the fleet it drills, its allocations are small and short-lived, and the
// default spends about 35 MB of resident memory for no CPU that we could measure (npm run bench).
import { cliBundle } from './cli-bundle.mjs';

// `agentdrill validate | head` closes our stdout early: that is the reader's choice, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const { main } = await cliBundle().then(
  (entry) => import(entry),
  async () => {
    (await import('tsx/esm/api')).register();
    return import('../src/cli/main.ts');
  },
);
process.exitCode = await main(process.argv);
// main() has stopped everything it started. A handle still open now (seen: a stdio socket whose
// reader, the CI job, died mid-drill) must not keep a finished drill alive: once output has had
// time to flush, leave. Unref'd, so a normal exit never waits for it.
setTimeout(() => process.exit(process.exitCode), 3000).unref();
