#!/usr/bin/env node
// Runs the TypeScript sources through tsx so `npx agentdrill` works right after `npm ci`,
// with no build step that could drift from the code under test.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
