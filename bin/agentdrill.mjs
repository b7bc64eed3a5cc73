#!/usr/bin/env node
// Runs the TypeScript sources through tsx so `npx agentdrill` works right after `npm ci`,
// with no build step that could drift from the code under test.
import { register } from 'tsx/esm/api';

// `agentdrill validate | head` closes our stdout early: that is the reader's choice, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
// main() has stopped everything it started. A handle still open now (seen: a stdio socket whose
// reader, the CI job, died mid-drill) must not keep a finished drill alive: once output has had
// time to flush, leave. Unref'd, so a normal exit never waits for it.
setTimeout(() => process.exit(process.exitCode), 3000).unref();
