import fs from 'node:fs';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentdrillError } from '../../core/errors.ts';
import type { TetheredChild } from '../local/child-process.ts';
import { indent, tailFile } from '../local/host-tools.ts';

export interface TlsClient {
  ca: string;
  cert: string;
  key: string;
}

/** One GET with client certificates; resolves to the status and body, never rejects. */
export function getTls(url: string, tls: TlsClient, timeoutMs = 3000): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const request = https.get(url, { ca: fs.readFileSync(tls.ca), cert: fs.readFileSync(tls.cert), key: fs.readFileSync(tls.key), timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', () => resolve({ status: 0, body }));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (e) => resolve({ status: 0, body: e.message }));
  });
}

/**
 * Polls `check` until it is true, the child exits or the deadline passes; then says which, with
 * the tail of the child's log. Polling is bounded by `timeoutMs`.
 */
export async function waitUntilReady(child: TetheredChild, what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !child.hasExited()) {
    if (await check()) return;
    await sleep(100);
  }
  const why = child.hasExited() ? `it exited (code ${child.exitCode()})` : `not ready within ${Math.round(timeoutMs / 1000)} s`;
  throw new AgentdrillError('INFRA_START_FAILED', `${what} did not start: ${why}\n${indent(tailFile(child.logFile, 25))}`, {
    hint: `Full log: ${child.logFile}`,
  });
}
